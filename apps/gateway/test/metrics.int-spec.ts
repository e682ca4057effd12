import { ServiceProcess, Stack, startStack, waitFor } from '@asyncops/testing';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text exposition format → samples. */
function parseMetrics(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`unparseable metrics line: ${line}`);
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
      return { name: m[1], labels, value: Number(m[3]) };
    });
}

const ITEMS = 450; // three batches of PLACEMENT_BATCH_SIZE (200)
const ROWS = 300;
const BAD_ROWS = 2;

/**
 * GET /metrics of every app after a placement and an import, on the real broker and database:
 * the named series exist and their values agree with the work done.
 */
describe('metrics of every app after a placement and an import (all four apps, real broker and database)', () => {
  jest.setTimeout(180_000);
  let stack: Stack;
  const scraped = new Map<string, Sample[]>();
  let token: string;

  const api = (path: string, init: RequestInit = {}) => fetch(`${stack.gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const post = (path: string, body: unknown) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const scrape = async (app: ServiceProcess) => {
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return parseMetrics(await res.text());
  };
  const find = (app: string, name: string, labels: Record<string, string> = {}) =>
    (scraped.get(app) ?? []).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  const total = (app: string, name: string, labels: Record<string, string> = {}) => find(app, name, labels).reduce((sum, s) => sum + s.value, 0);

  beforeAll(async () => {
    stack = await startStack('metrics');
    token = await stack.token();

    // A placement of 450 items.
    expect((await post('/api/v1/products', { products: [{ sku: 'M-1', name: 'Widget', unitPrice: '2.5000' }] })).status).toBe(201);
    const cart = (await (await post('/api/v1/carts', { currency: 'USD' })).json()) as { id: string };
    const items = Array.from({ length: ITEMS }, () => ({ sku: 'M-1', kind: 'major', quantity: 1 }));
    expect((await post(`/api/v1/carts/${cart.id}/items`, { items })).status).toBe(201);
    const placed = await post(`/api/v1/carts/${cart.id}/place`, {});
    expect(placed.status).toBe(202);
    const { operationId } = (await placed.json()) as { operationId: string };

    // An import of 300 voucher rows, 2 of them bad.
    const header = 'Code,Voucher Type,Value,Discount Type,Category,Start Date,Expiration Date,Redemption Limit,Active,Note';
    const rows = Array.from({ length: ROWS }, (_, i) => `MET-${i},DISCOUNT_VOUCHER,10,${i < BAD_ROWS ? 'BOGUS' : 'PERCENT'},spring,2026-01-01T00:00:00Z,2026-12-31T00:00:00Z,5,true,row ${i}`);
    const form = new FormData();
    form.append('file', new Blob([[header, ...rows].join('\n') + '\n'], { type: 'text/csv' }), 'vouchers.csv');
    const accepted = await api('/v1/vouchers/importCSV', { method: 'POST', body: form });
    expect(accepted.status).toBe(202);
    const { async_action_id } = (await accepted.json()) as { async_action_id: string };

    await waitFor('the placement to complete', async () => {
      const op = (await (await api(`/api/v1/operations/${operationId}?wait=5`)).json()) as { status: string };
      if (op.status === 'Failure') throw new Error('placement failed');
      return op.status === 'Completed';
    });
    await waitFor('the import to finish', async () => ((await (await api(`/v1/async-actions/${async_action_id}`)).json()) as { status: string }).status === 'DONE', 60_000, 250);
    // The tracker's operations gauge is cached for 15 s; the outbox rows of the last events must be relayed.
    await waitFor(
      'the tracker to report both operations finished',
      async () => {
        const tracker = await scrape(stack.tracker);
        const finished = tracker.filter((s) => s.name === 'asyncops_operations' && ['Completed', 'CompletedWithFailures'].includes(s.labels.status));
        return finished.reduce((n, s) => n + s.value, 0) >= 2;
      },
      30_000,
      1000,
    );
    for (const app of stack.apps) scraped.set(app.app, await scrape(app));
  });

  afterAll(() => stack?.stop());

  it('every app labels its series with its service and reports event-loop lag, memory and its database pool', () => {
    for (const app of ['gateway', 'tracker', 'order-placement', 'importer']) {
      const samples = scraped.get(app) ?? [];
      expect(samples.length).toBeGreaterThan(50);
      expect(samples.every((s) => s.labels.service === app)).toBe(true);
      const lag = find(app, 'nodejs_eventloop_lag_seconds')[0]?.value;
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(5);
      expect(total(app, 'process_resident_memory_bytes')).toBeGreaterThan(20 * 1024 * 1024);
      // The pool closes idle connections, so `total` may be 0 at rest; the series must be there.
      const states = find(app, 'asyncops_db_pool_connections').map((s) => s.labels.state).sort();
      expect(states).toEqual(['idle', 'max', 'total', 'waiting']);
      const pool = { total: total(app, 'asyncops_db_pool_connections', { state: 'total' }), max: total(app, 'asyncops_db_pool_connections', { state: 'max' }) };
      expect(pool.max).toBeGreaterThanOrEqual(1);
      expect(pool.total).toBeGreaterThanOrEqual(0);
      expect(pool.total).toBeLessThanOrEqual(pool.max);
    }
  });

  it('the gateway times requests by route template and status, never by raw URL', () => {
    expect(total('gateway', 'asyncops_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/carts/:id/items', status: '201' })).toBe(1);
    expect(total('gateway', 'asyncops_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/carts/:id/place', status: '202' })).toBe(1);
    expect(total('gateway', 'asyncops_http_request_duration_seconds_count', { method: 'POST', route: '/v1/vouchers/importCSV', status: '202' })).toBe(1);
    expect(total('gateway', 'asyncops_http_request_duration_seconds_count', { route: '/api/v1/operations/:id', status: '200' })).toBeGreaterThanOrEqual(1);
    const routes = find('gateway', 'asyncops_http_request_duration_seconds_count').map((s) => s.labels.route);
    expect(routes.filter((r) => /[0-9a-f]{8}-[0-9a-f]{4}-|aa_[0-9a-f]{32}/.test(r))).toEqual([]);
    const sum = total('gateway', 'asyncops_http_request_duration_seconds_sum', { route: '/api/v1/carts/:id/items' });
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(60);
  });

  it('order-placement counts exactly the placed items, in batches, and its command messages', () => {
    expect(total('order-placement', 'asyncops_operation_items_total', { outcome: 'succeeded' })).toBe(ITEMS);
    expect(total('order-placement', 'asyncops_operation_items_total', { outcome: 'failed' })).toBe(0);
    expect(total('order-placement', 'asyncops_operation_batch_items_sum')).toBe(ITEMS);
    expect(total('order-placement', 'asyncops_operation_batch_items_count')).toBe(3);
    // Batch 1's command is delivered; batches 2 and 3 run chained on the consumer that committed the
    // one before (their held-back commands are withdrawn, never delivered): the batch metrics above count all three.
    expect(total('order-placement', 'asyncops_messages_consumed_total', { queue: 'order-placement.commands', outcome: 'acked' })).toBeGreaterThanOrEqual(1);
    expect(total('order-placement', 'asyncops_message_handler_duration_seconds_count', { queue: 'order-placement.commands' })).toBeGreaterThanOrEqual(1);
    expect(total('order-placement', 'asyncops_messages_published_total', { exchange: 'events' })).toBeGreaterThan(3);
    expect(total('order-placement', 'asyncops_outbox_relay_batch_size_sum', { schema: 'order_placement' })).toBeGreaterThan(3);
  });

  it('the importer counts the imported rows and the failed ones', () => {
    expect(total('importer', 'asyncops_operation_items_total', { outcome: 'succeeded' })).toBe(ROWS - BAD_ROWS);
    expect(total('importer', 'asyncops_operation_items_total', { outcome: 'failed' })).toBe(BAD_ROWS);
    expect(total('importer', 'asyncops_messages_consumed_total', { queue: 'importer.commands', outcome: 'acked' })).toBeGreaterThanOrEqual(1);
    expect(total('importer', 'asyncops_messages_dead_lettered_total')).toBe(0);
  });

  it('every app logs JSON lines through pino with its service and known level names, and never a token or secret', () => {
    for (const app of stack.apps) {
      expect(app.logs.length).toBeGreaterThan(3);
      for (const line of app.logs) {
        expect({ app: app.app, level: line.level, service: line.service }).toEqual({ app: app.app, level: expect.stringMatching(/^(debug|info|warn|error)$/), service: app.app });
        const text = JSON.stringify(line);
        expect(text).not.toContain(token);
        // The development client's well-known secret is announced on purpose at start-up, nowhere else.
        if (line.event !== 'dev-client-enabled') expect(text).not.toContain('dev-secret');
      }
    }
    expect(stack.gateway.logs.some((l) => l.event === 'listening')).toBe(true);
  });

  it('the tracker reports operations by status and job type, consumed events, and an outbox that drained', () => {
    expect(total('tracker', 'asyncops_operations', { status: 'Completed', job_type: 'PlaceOrder' })).toBe(1);
    expect(total('tracker', 'asyncops_operations', { status: 'CompletedWithFailures' })).toBe(1);
    expect(total('tracker', 'asyncops_messages_consumed_total', { queue: 'tracker.events', outcome: 'acked' })).toBeGreaterThan(6);
    // At least both submits, recorded by request/reply; status reads may all be answered by the gateway's
    // cache (a finished operation's change carries its view), so none of them need reach the tracker.
    expect(total('tracker', 'asyncops_messages_consumed_total', { queue: 'tracker.requests', outcome: 'acked' })).toBeGreaterThanOrEqual(2);
    const depth = find('tracker', 'asyncops_outbox_depth', { schema: 'tracker' });
    const lag = find('tracker', 'asyncops_outbox_lag_seconds', { schema: 'tracker' });
    expect(depth).toHaveLength(1);
    expect(depth[0].value).toBeGreaterThanOrEqual(0);
    expect(lag).toHaveLength(1);
    expect(lag[0].value).toBeGreaterThanOrEqual(0);
    expect(lag[0].value).toBeLessThan(60);
    // The operators' dead-letter queue is empty; the tracker's own queues are reported too.
    expect(find('tracker', 'asyncops_queue_messages', { queue: 'dead-letter' }).map((x) => x.value)).toEqual([0]);
    expect(find('tracker', 'asyncops_queue_messages', { queue: 'tracker.events' })).toHaveLength(1);
    // Nothing unfinished, so no operation is idle.
    expect(find('tracker', 'asyncops_operation_oldest_idle_seconds')).toEqual([]);
  });
});
