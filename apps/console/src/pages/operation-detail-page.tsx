import { useEffect, useState } from 'preact/hooks';
import { ApiError, download, hasFailureReport, toAsyncActionId } from '../api';
import { ProgressBar } from '../components/progress-bar';
import { StatusBadge } from '../components/status-badge';
import { formatTime, useConsole, useNow, useStoreRevision } from '../context';
import { openLiveStream } from '../live-stream';
import { formatCount, formatDuration, isRunning, statusLabel } from '../progress';
import { Link } from '../router';
import type { ItemFailure, Operation, Page, WebhookDelivery } from '../types';

interface TimelineEntry {
  label: string;
  at: string;
}

/** Step and status changes in order, from the operation's retained change log (replayed from 0). */
function useTimeline(id: string, op: Operation | undefined): TimelineEntry[] {
  const { api } = useConsole();
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  useEffect(() => {
    setEntries([]);
    let lastStep: string | null = null;
    let lastStatus: string | null = null;
    const close = openLiveStream(api, {
      query: { operationId: id },
      lastEventId: '0',
      onChanges: (changes) => {
        const added: TimelineEntry[] = [];
        for (const c of changes) {
          if (c.status !== lastStatus) {
            added.push({ label: statusLabel(c.status), at: c.changedAt });
            lastStatus = c.status;
          }
          if (c.stepName && c.stepName !== lastStep) {
            added.push({ label: c.stepName, at: c.changedAt });
            lastStep = c.stepName;
          }
        }
        if (added.length) setEntries((e) => [...e, ...added]);
      },
    });
    return close;
  }, [api, id]);
  // The record itself knows when it was submitted, even if its first changes have expired.
  if (op && !entries.some((e) => e.label === statusLabel('Submitted'))) return [{ label: statusLabel('Submitted'), at: op.submittedAt }, ...entries];
  return entries;
}

function Paged<T>(props: {
  title: string;
  load(cursor: string | null): Promise<Page<T>>;
  deps: unknown[];
  render(items: T[]): preact.ComponentChildren;
  empty: string;
  testId: string;
}) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const more = async (reset: boolean) => {
    setBusy(true);
    try {
      const page = await props.load(reset ? null : cursor);
      setItems((prev) => (reset ? page.data : [...prev, ...page.data]));
      setCursor(page.nextCursor);
      setHasMore(page.hasMore);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not load.');
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void more(true);
  }, props.deps);
  return (
    <section class="card" aria-labelledby={`${props.testId}-title`} data-testid={props.testId}>
      <h2 id={`${props.testId}-title`}>{props.title}</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {items.length === 0 && !busy ? <p>{props.empty}</p> : props.render(items)}
      {hasMore && (
        <button type="button" class="secondary" disabled={busy} onClick={() => void more(false)}>
          {busy ? 'Loading…' : `More ${props.title.toLowerCase()}`}
        </button>
      )}
    </section>
  );
}

export function OperationDetailPage({ id }: { id: string }) {
  const { api, store } = useConsole();
  useStoreRevision(store);
  const now = useNow();
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [actionMessage, setActionMessage] = useState<string | null>(null);
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);
  const op = store.get(id);
  const timeline = useTimeline(id, op);
  const finished = op ? !isRunning(op.status) : false;

  // The full record on open, and again when it finishes (final result, errors, report).
  useEffect(() => {
    api
      .getOperation(id)
      .then((o) => store.upsert(o))
      .catch((e: unknown) => setError(e instanceof ApiError && e.status === 404 ? 'No such operation (or it belongs to another client).' : (e as Error).message));
  }, [api, id, finished]);

  useEffect(() => {
    api
      .json<{ data: WebhookDelivery[] }>(`/api/v1/operations/${id}/webhook-deliveries`)
      .then((d) => setDeliveries(d.data))
      .catch(() => setDeliveries([]));
  }, [api, id, finished]);

  if (error)
    return (
      <section>
        <h1>Operation</h1>
        <p class="error" role="alert">
          {error}
        </p>
        <Link to="/operations">Back to the operations</Link>
      </section>
    );
  if (!op) return <p aria-live="polite">Loading…</p>;

  const cancel = async () => {
    setConfirming(false);
    try {
      await api.cancel(id);
      setActionMessage('Cancel requested: the service running it has been told.');
      store.upsert(await api.getOperation(id));
    } catch (e) {
      setActionMessage(e instanceof ApiError ? `Could not cancel: ${e.message}` : 'Could not cancel.');
    }
  };
  const downloadReport = async () => {
    try {
      const res = await api.request(`/v1/async-actions/${toAsyncActionId(id)}/report`, { headers: { accept: 'text/csv' } });
      await download(res, `${toAsyncActionId(id)}-failures.csv`);
      setActionMessage('Failure report downloaded.');
    } catch (e) {
      setActionMessage(e instanceof ApiError ? `No report: ${e.message}` : 'The report could not be downloaded.');
    }
  };

  const canCancel = isRunning(op.status) && !op.cancelRequestedAt;
  return (
    <section class="detail">
      <p>
        <Link to="/operations">← Operations</Link>
      </p>
      <h1>
        Operation {op.asyncOperationNumber} <StatusBadge status={op.status} />
      </h1>
      <p class="mono subtle">{op.id}</p>
      <div class="card" data-testid="detail-progress">
        <ProgressBar op={op} liveRate={store.rate(op.id)} now={now} />
      </div>
      <div class="actions">
        {canCancel &&
          (confirming ? (
            <span class="confirm" role="group" aria-label="Confirm cancel">
              Cancel this operation?{' '}
              <button type="button" class="danger" onClick={() => void cancel()}>
                Yes, cancel it
              </button>{' '}
              <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                Keep it running
              </button>
            </span>
          ) : (
            <button type="button" class="danger" onClick={() => setConfirming(true)}>
              Cancel operation
            </button>
          ))}
        {hasFailureReport(op, now) && (
          <button type="button" onClick={() => void downloadReport()}>
            Download failure report (CSV)
          </button>
        )}
        {actionMessage && (
          <span role="status" class="notice">
            {actionMessage}
          </span>
        )}
      </div>
      <dl class="facts card">
        <dt>Job type</dt>
        <dd>{op.jobType}</dd>
        <dt>Step</dt>
        <dd>{op.stepName ?? '–'}</dd>
        <dt>Total items</dt>
        <dd>{op.totalJobItems === null ? '–' : formatCount(op.totalJobItems)}</dd>
        <dt>Succeeded</dt>
        <dd data-testid="succeeded">{formatCount(op.successfulJobItems)}</dd>
        <dt>Failed</dt>
        <dd data-testid="failed">{formatCount(op.failedJobItems)}</dd>
        <dt>Submitted</dt>
        <dd>{formatTime(op.submittedAt)}</dd>
        <dt>Started</dt>
        <dd>{formatTime(op.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{formatTime(op.finishedAt)}</dd>
        <dt>Correlation id</dt>
        <dd class="mono">{op.correlationIdentifier ?? '–'}</dd>
        <dt>Producer</dt>
        <dd>{op.producer}</dd>
        {op.cancelRequestedAt && (
          <>
            <dt>Cancel requested</dt>
            <dd data-testid="cancel-requested">{formatTime(op.cancelRequestedAt)}</dd>
          </>
        )}
        {op.parentOperationId && (
          <>
            <dt>Parent</dt>
            <dd>
              <Link to={`/operations/${op.parentOperationId}`}>{op.parentOperationId}</Link>
            </dd>
          </>
        )}
        {op.message && (
          <>
            <dt>Message</dt>
            <dd>{op.message}</dd>
          </>
        )}
      </dl>
      {op.errors && op.errors.length > 0 && (
        <section class="card">
          <h2>Errors</h2>
          <ul>
            {op.errors.map((e, i) => (
              <li key={i}>
                {e.key && <span class="mono">{e.key}: </span>}
                {e.message}
                {e.details && <span class="subtle"> ({e.details})</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <ol class="timeline" data-testid="timeline">
          {timeline.map((e, i) => {
            const next = timeline[i + 1]?.at ?? (isRunning(op.status) ? new Date(now).toISOString() : null);
            return (
              <li key={`${i}-${e.label}`}>
                <span class="timeline-label">{e.label}</span> <span class="subtle">{formatTime(e.at)}</span>
                {next && <span class="subtle"> · {formatDuration(Date.parse(next) - Date.parse(e.at))}</span>}
              </li>
            );
          })}
        </ol>
      </section>
      {op.childCount > 0 && (
        <Paged<Operation>
          title="Children"
          testId="children"
          empty="No child operations."
          deps={[id]}
          load={(cursor) => api.listOperations(new URLSearchParams({ parentOperationId: id }), 50, cursor).then((p) => (p.data.forEach((c) => store.upsert(c)), p))}
          render={(items) => (
            <ul class="children">
              {items.map((c) => {
                const child = store.get(c.id) ?? c;
                return (
                  <li key={c.id}>
                    <Link to={`/operations/${c.id}`}>
                      {child.asyncOperationNumber} {child.jobType}
                    </Link>{' '}
                    <StatusBadge status={child.status} />
                    <ProgressBar op={child} liveRate={store.rate(c.id)} now={now} compact />
                  </li>
                );
              })}
            </ul>
          )}
        />
      )}
      {op.failedJobItems > 0 && (
        <Paged<ItemFailure>
          title="Failures"
          testId="failures"
          empty="No per-item failures were recorded."
          deps={[id, finished]}
          load={(cursor) => api.json<Page<ItemFailure>>(`/api/v1/operations/${id}/failures?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)}
          render={(items) => (
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">Per-item failures</caption>
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Item</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((f) => (
                    <tr key={f.id}>
                      <td>{f.row ?? '–'}</td>
                      <td class="mono">{f.itemKey ?? '–'}</td>
                      <td>{f.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        />
      )}
      <section class="card" aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">Webhook deliveries</h2>
        {deliveries === null ? <p>Loading…</p> : deliveries.length === 0 ? <p>No webhook deliveries for this operation.</p> : <DeliveryTable deliveries={deliveries} />}
      </section>
    </section>
  );
}

export function DeliveryTable({ deliveries, urls }: { deliveries: WebhookDelivery[]; urls?: Map<string, string> }) {
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Webhook deliveries</caption>
        <thead>
          <tr>
            {urls && <th scope="col">Webhook</th>}
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last response</th>
            <th scope="col">Created</th>
            <th scope="col">Delivered</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id}>
              {urls && <td class="mono">{urls.get(d.webhookId) ?? d.webhookId}</td>}
              <td>{d.event}</td>
              <td>{d.status}</td>
              <td>{d.attempts}</td>
              <td>{d.lastResponseStatus ?? '–'}</td>
              <td>{formatTime(d.createdAt)}</td>
              <td>{formatTime(d.deliveredAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
