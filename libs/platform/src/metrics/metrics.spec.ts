import express from 'express';
import type { AddressInfo } from 'node:net';
import {
  cached,
  httpMetricsMiddleware,
  initMetrics,
  metricsHandler,
  metricsRegistry,
  observeDbPool,
  outboxDepth,
  recordItemsProgressed,
  startMessageTimer,
} from './metrics';

async function value(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const base = name.replace(/_(count|sum)$/, '');
  const metric = await (metricsRegistry.getSingleMetric(name) ?? metricsRegistry.getSingleMetric(base))?.get();
  const found = metric?.values.find(
    (v) =>
      ((v as { metricName?: string }).metricName ?? name) === name && Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want),
  );
  return found?.value;
}

describe('metrics', () => {
  beforeAll(() => initMetrics('test-service'));

  it('times HTTP requests by route template and status, and serves the text format on /metrics', async () => {
    const app = express();
    app.use(httpMetricsMiddleware);
    app.get('/metrics', metricsHandler);
    app.get('/items/:id', (_req, res) => void res.status(202).json({ ok: true }));
    const server = app.listen(0);
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await fetch(`${base}/items/123`);
      await fetch(`${base}/items/456`);
      await fetch(`${base}/nowhere/789`);
      const res = await fetch(`${base}/metrics`);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toMatch(/asyncops_http_request_duration_seconds_count\{[^}]*method="GET",route="\/items\/:id",status="202"[^}]*\} 2/);
      expect(text).toMatch(/route="unmatched",status="404"/);
      expect(text).not.toContain('/items/123');
      expect(text).toContain('service="test-service"');
      expect(text).toContain('nodejs_eventloop_lag_seconds');
    } finally {
      server.close();
    }
  });

  it('counts consumed, redelivered and dead-lettered messages by queue and outcome', async () => {
    startMessageTimer('q.one', 1)('acked');
    startMessageTimer('q.one', 2)('retried');
    startMessageTimer('q.one', 3)('dead-lettered');
    expect(await value('asyncops_messages_consumed_total', { queue: 'q.one', outcome: 'acked' })).toBe(1);
    expect(await value('asyncops_messages_consumed_total', { queue: 'q.one', outcome: 'retried' })).toBe(1);
    expect(await value('asyncops_messages_redelivered_total', { queue: 'q.one' })).toBe(2);
    expect(await value('asyncops_messages_dead_lettered_total', { queue: 'q.one' })).toBe(1);
    expect(await value('asyncops_message_handler_duration_seconds_count', { queue: 'q.one', outcome: 'acked' })).toBe(1);
  });

  it('counts the items of progress events by outcome and the batch size', async () => {
    recordItemsProgressed({ succeeded: 198, failed: 2 });
    recordItemsProgressed({ succeeded: 0, failed: 0 });
    recordItemsProgressed('not an event');
    expect(await value('asyncops_operation_items_total', { outcome: 'succeeded' })).toBe(198);
    expect(await value('asyncops_operation_items_total', { outcome: 'failed' })).toBe(2);
    expect(await value('asyncops_operation_batch_items_count', {})).toBe(1);
    expect(await value('asyncops_operation_batch_items_sum', {})).toBe(200);
  });

  it('reads gauges from their sources at scrape time, skips a failing source, and stops after removal', async () => {
    const remove = outboxDepth.add(async () => [{ labels: { schema: 'a' }, value: 7 }]);
    const removeBroken = outboxDepth.add(async () => {
      throw new Error('database away');
    });
    expect(await value('asyncops_outbox_depth', { schema: 'a' })).toBe(7);
    expect(await value('asyncops_metric_source_errors_total', { metric: 'asyncops_outbox_depth' })).toBe(1);
    remove();
    removeBroken();
    expect(await value('asyncops_outbox_depth', { schema: 'a' })).toBeUndefined();
  });

  it('reports a pg pool once it exists', async () => {
    const holder: { pool?: { totalCount: number; idleCount: number; waitingCount: number; options: { max: number } } } = {};
    const remove = observeDbPool('main', () => holder.pool);
    expect(await value('asyncops_db_pool_connections', { pool: 'main', state: 'total' })).toBeUndefined();
    holder.pool = { totalCount: 4, idleCount: 3, waitingCount: 0, options: { max: 10 } };
    expect(await value('asyncops_db_pool_connections', { pool: 'main', state: 'total' })).toBe(4);
    expect(await value('asyncops_db_pool_connections', { pool: 'main', state: 'idle' })).toBe(3);
    expect(await value('asyncops_db_pool_connections', { pool: 'main', state: 'max' })).toBe(10);
    remove();
  });

  it('caches an expensive read, and retries after a failure', async () => {
    let calls = 0;
    const read = cached(60_000, async () => {
      calls++;
      if (calls === 1) throw new Error('first fails');
      return calls;
    });
    await expect(read()).rejects.toThrow('first fails');
    await new Promise((r) => setImmediate(r));
    expect(await read()).toBe(2);
    expect(await read()).toBe(2);
    expect(calls).toBe(2);
  });
});
