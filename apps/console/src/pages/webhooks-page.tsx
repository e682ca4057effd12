import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { formatTime, useConsole } from '../context';
import type { Operation, Page, Webhook, WebhookDelivery } from '../types';
import { DeliveryTable } from './operation-detail-page';

/** Recent deliveries are gathered from the deliveries of the newest operations. */
const RECENT_OPERATIONS = 25;
const SHOWN_DELIVERIES = 50;

export function WebhooksPage() {
  const { api } = useConsole();
  const [webhooks, setWebhooks] = useState<Webhook[] | null>(null);
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    (async () => {
      try {
        const list = await api.json<{ data: Webhook[] }>('/api/v1/webhooks');
        if (stopped) return;
        setWebhooks(list.data);
        if (!list.data.length) return setDeliveries([]);
        const recent = await api.json<Page<Operation>>(`/api/v1/operations?limit=${RECENT_OPERATIONS}`);
        const all: WebhookDelivery[] = [];
        for (let i = 0; i < recent.data.length; i += 5) {
          const chunk = recent.data.slice(i, i + 5);
          const pages = await Promise.all(chunk.map((o) => api.json<{ data: WebhookDelivery[] }>(`/api/v1/operations/${o.id}/webhook-deliveries`).catch(() => ({ data: [] }))));
          for (const p of pages) all.push(...p.data);
        }
        if (stopped) return;
        all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
        setDeliveries(all.slice(0, SHOWN_DELIVERIES));
      } catch (e) {
        if (!stopped) setError(e instanceof ApiError ? e.message : 'The webhooks could not be loaded.');
      }
    })();
    return () => {
      stopped = true;
    };
  }, [api]);

  const urls = new Map((webhooks ?? []).map((w) => [w.id, w.url]));
  return (
    <section>
      <h1>Webhooks</h1>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {webhooks === null ? (
        <p>Loading…</p>
      ) : webhooks.length === 0 ? (
        <p>No webhooks are registered. Register one with POST /api/v1/webhooks.</p>
      ) : (
        <div class="table-wrap">
          <table data-testid="webhooks">
            <caption class="visually-hidden">Registered webhooks</caption>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Only</th>
                <th scope="col">Created</th>
                <th scope="col">Secret rotated</th>
              </tr>
            </thead>
            <tbody>
              {webhooks.map((w) => (
                <tr key={w.id}>
                  <td class="mono">{w.url}</td>
                  <td>{w.events.join(', ')}</td>
                  <td>{w.operationId ? `operation ${w.operationId}` : w.jobType ? `job type ${w.jobType}` : 'all operations'}</td>
                  <td>{formatTime(w.createdAt)}</td>
                  <td>{formatTime(w.secretRotatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Recent deliveries</h2>
      <p class="subtle">Deliveries for your {RECENT_OPERATIONS} newest operations, newest first.</p>
      {deliveries === null ? <p>Loading…</p> : deliveries.length === 0 ? <p>No deliveries yet.</p> : <DeliveryTable deliveries={deliveries} urls={urls} />}
    </section>
  );
}
