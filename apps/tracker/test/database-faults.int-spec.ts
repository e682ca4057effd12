import { randomUUID } from 'node:crypto';
import { OperationEvents } from '@asyncops/contracts';
import { PrivatePostgres, ServiceProcess, sleep, TestBroker, TestDatabase, uniquePrefix, waitFor } from '@asyncops/testing';

const CARTS = Number(process.env.FAULT_CARTS ?? 12);
const CART_ITEMS = 2_000;
const IMPORT_ROWS = 100_000;
const EVENT_OPERATIONS = 100;
/** submitted + started + progressed × 97 + finished = 100 events per operation, 10,000 in all. */
const PROGRESS_EVENTS = 97;
type AppName = 'tracker' | 'order-placement' | 'importer' | 'gateway';

interface Workload {
  placements: Array<{ operationId: string; orderId: string; cartId: string }>;
  importOperationId: string;
  eventOperations: string[];
  codePrefix: string;
  publishing: Promise<void>;
}

/**
 * Database faults under load, on a PostgreSQL cluster of the suite's own (so a restart touches
 * nothing shared): every backend of the product's database terminated 8 times over 4 s, and
 * separately the server restarted, while carts of 2,000 items are placed, a 100,000-row voucher
 * import runs and 10,000 lifecycle events flow. Every operation must end Completed with exact
 * counts, every row exactly once, nothing in the dead-letter queue, and no process may die.
 */
describe('database faults under load (private PostgreSQL cluster, real broker)', () => {
  jest.setTimeout(900_000);

  let pg: PrivatePostgres;
  let db: TestDatabase;
  let broker: TestBroker;
  let prefix: string;
  const apps: Partial<Record<AppName, ServiceProcess>> = {};
  let token: string;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${apps.gateway?.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const postJson = (path: string, body: unknown) => api(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  async function expectStatus(res: Response, status: number): Promise<Record<string, unknown>> {
    const body = (await res.json()) as Record<string, unknown>;
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(body)}`);
    return body;
  }

  beforeAll(async () => {
    pg = await PrivatePostgres.start();
    db = await pg.createDatabase('dbfaults');
    prefix = uniquePrefix('dbfaults');
    broker = await TestBroker.connect(prefix);
    // The default delivery limit (5): before transient failures were told apart, a restart
    // longer than ~0.5 s used it up and dead-lettered work.
    const common = { DATABASE_URL: db.url, AMQP_PREFIX: prefix, OUTBOX_POLL_MS: '100', LOG_LEVEL: 'info' };
    [apps.tracker, apps['order-placement'], apps.importer] = await Promise.all([
      ServiceProcess.start('tracker', common),
      ServiceProcess.start('order-placement', common),
      ServiceProcess.start('importer', common),
    ]);
    apps.gateway = await ServiceProcess.start('gateway', { ...common, AUTH_TOKEN_SECRET: 'a-test-signing-key-that-is-long-enough-123', RPC_TIMEOUT_MS: '30000' });
    const res = await fetch(`${apps.gateway.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'dev-client', client_secret: 'dev-secret' }).toString(),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
    await expectStatus(
      await postJson('/api/v1/products', {
        products: [
          { sku: 'RACK', name: 'Server rack', unitPrice: '10.0000' },
          { sku: 'CABLE', name: 'Cable', unitPrice: '0.2500' },
        ],
      }),
      201,
    );
  }, 300_000);

  afterAll(async () => {
    if (process.env.DEBUG_LOGS) {
      for (const s of Object.values(apps)) {
        const noisy = s?.logs.filter((l) => l.level === 'error' || l.event === 'dead-lettered').slice(0, 20) ?? [];
        process.stdout.write(`${s?.app}\n${noisy.map((l) => JSON.stringify(l)).join('\n')}\n`);
      }
    }
    try {
      await Promise.all(Object.values(apps).map((s) => s?.stop()));
      await broker?.deleteTopology([]);
    } finally {
      await broker?.close();
      await pg?.stop();
    }
  }, 120_000);

  /** Starts every kind of work at once; lifecycle events keep flowing while the test injects its fault. */
  async function startWorkload(label: string): Promise<Workload> {
    const placements: Workload['placements'] = [];
    const items = Array.from({ length: CART_ITEMS }, (_, i) => ({ sku: i % 2 ? 'CABLE' : 'RACK', quantity: 1 + (i % 3) }));
    const carts: string[] = [];
    for (let c = 0; c < CARTS; c++) {
      const cart = await expectStatus(await postJson('/api/v1/carts', { currency: 'USD', paymentMethod: 'po-1', paymentTermDays: 30 }), 201);
      await expectStatus(await postJson(`/api/v1/carts/${String(cart.id)}/items`, { items }), 201);
      carts.push(String(cart.id));
    }

    const codePrefix = `${label}-`;
    const lines = ['Code,Value,Discount Type,Category'];
    for (let row = 1; row <= IMPORT_ROWS; row++) lines.push(`${codePrefix}${row},5,AMOUNT,c`);
    const form = new FormData();
    form.append('file', new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' }), 'vouchers.csv');
    const accepted = await expectStatus(await api('/v1/vouchers/importCSV', { method: 'POST', body: form }), 202);
    const hex = String(accepted.async_action_id).slice(3);
    const importOperationId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

    for (const cartId of carts) {
      const placed = await expectStatus(await postJson(`/api/v1/carts/${cartId}/place`, {}), 202);
      placements.push({ operationId: String(placed.operationId), orderId: String(placed.orderId), cartId });
    }

    // Lifecycle events of an external producer: one round per event kind, interleaving operations.
    const eventOperations = Array.from({ length: EVENT_OPERATIONS }, () => randomUUID());
    const occurredAt = () => new Date().toISOString();
    const publishing = (async () => {
      const rounds: Array<(id: string) => { routingKey: string; body: unknown }> = [
        (id) => ({ routingKey: OperationEvents.Submitted, body: { operationId: id, occurredAt: occurredAt(), ownerId: 'load-client', jobType: 'PlaceOrder', producer: 'load-producer', totalJobItems: PROGRESS_EVENTS } }),
        (id) => ({ routingKey: OperationEvents.Started, body: { operationId: id, occurredAt: occurredAt() } }),
        ...Array.from({ length: PROGRESS_EVENTS }, () => (id: string) => ({ routingKey: OperationEvents.ItemsProgressed, body: { operationId: id, occurredAt: occurredAt(), succeeded: 1, failed: 0 } })),
        (id) => ({ routingKey: OperationEvents.Finished, body: { operationId: id, occurredAt: occurredAt(), status: 'Completed' } }),
      ];
      for (const round of rounds) {
        await broker.publishMany(eventOperations.map(round));
        await sleep(60);
      }
    })();
    return { placements, importOperationId, eventOperations, codePrefix, publishing };
  }

  /** Rows committed so far by the placement and import batches of this workload. */
  async function committedWork(w: Workload): Promise<number> {
    const [row] = await db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM order_placement.order_item WHERE order_id = ANY($1::uuid[]))
            + (SELECT count(*) FROM importer.voucher WHERE code LIKE $2) AS n`,
      [w.placements.map((p) => p.orderId), `${w.codePrefix}%`],
    );
    return Number(row.n);
  }

  /** Fails at once (with its last log lines) when a process of the product died. */
  function assertAllAlive(): void {
    for (const s of Object.values(apps)) {
      let alive = false;
      try {
        alive = !!s?.pid && process.kill(s.pid, 0);
      } catch {
        alive = false;
      }
      if (!alive) throw new Error(`${s?.app} died:\n${s?.tail(30)}`);
    }
  }

  async function expectEverythingCompleted(w: Workload): Promise<void> {
    await w.publishing;
    const ids = [...w.placements.map((p) => p.operationId), w.importOperationId, ...w.eventOperations];
    let died: Error | undefined;
    const finished = await waitFor(
      'every operation to finish',
      async () => {
        try {
          assertAllAlive();
        } catch (e) {
          died = e as Error;
          return [];
        }
        const rows = await db.query<{ id: string; status: string; message: string | null; total: number | null; ok: number; failed: number }>(
          `SELECT id, status, message, total_job_items AS total, successful_job_items AS ok, failed_job_items AS failed
             FROM tracker.async_operation WHERE id = ANY($1::uuid[])`,
          [ids],
        );
        return rows.length === ids.length && rows.every((r) => ['Completed', 'CompletedWithFailures', 'Failure'].includes(r.status)) ? rows : undefined;
      },
      420_000,
      500,
    );
    if (died) throw died;
    const byId = new Map(finished.map((r) => [r.id, r]));
    const summary = (id: string) => {
      const r = byId.get(id);
      return { status: r?.status, total: r?.total, ok: r?.ok, failed: r?.failed };
    };
    for (const p of w.placements) expect(summary(p.operationId)).toEqual({ status: 'Completed', total: CART_ITEMS, ok: CART_ITEMS, failed: 0 });
    expect(summary(w.importOperationId)).toMatchObject({ status: 'Completed', ok: IMPORT_ROWS, failed: 0 });
    for (const id of w.eventOperations) expect(summary(id)).toEqual({ status: 'Completed', total: PROGRESS_EVENTS, ok: PROGRESS_EVENTS, failed: 0 });

    // Every cart item became exactly one order item; every CSV row exactly one voucher.
    const orders = await db.query<{ id: string; status: string; items: number; distinct_items: number }>(
      `SELECT o.id, o.status, count(oi.*)::int AS items, count(DISTINCT oi.cart_item_id)::int AS distinct_items
         FROM order_placement.orders o LEFT JOIN order_placement.order_item oi ON oi.order_id = o.id
        WHERE o.id = ANY($1::uuid[]) GROUP BY o.id, o.status`,
      [w.placements.map((p) => p.orderId)],
    );
    expect(orders).toHaveLength(CARTS);
    for (const o of orders) expect(o).toMatchObject({ status: 'Placed', items: CART_ITEMS, distinct_items: CART_ITEMS });
    const [vouchers] = await db.query<{ n: number; distinct: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT code)::int AS distinct FROM importer.voucher WHERE code LIKE $1`,
      [`${w.codePrefix}%`],
    );
    expect(vouchers).toEqual({ n: IMPORT_ROWS, distinct: IMPORT_ROWS });

    // Nothing was parked, and no process died.
    expect(await broker.messageCount('dead-letter')).toBe(0);
    for (const s of Object.values(apps)) {
      expect(s?.logs.filter((l) => l.event === 'dead-lettered')).toEqual([]);
      expect((await fetch(`${s?.url}/health/live`)).status).toBe(200);
    }
  }

  const transientRetries = () => Object.values(apps).reduce((n, s) => n + (s?.logs.filter((l) => l.event === 'transient-retry').length ?? 0), 0);

  it('completes every operation exactly when every backend of the database is terminated 8 times over 4 s', async () => {
    const retriesBefore = transientRetries();
    const w = await startWorkload('terminate');
    await waitFor('work under way', async () => (await committedWork(w)) > 0, 120_000, 50);

    let terminated = 0;
    for (let i = 0; i < 8; i++) {
      terminated += await pg.terminateBackends(db.name);
      await sleep(500);
    }
    expect(terminated).toBeGreaterThan(8);

    await expectEverythingCompleted(w);
    process.stdout.write(`terminations: ${terminated} backends terminated; ${transientRetries() - retriesBefore} transient retries\n`);
  });

  it('completes every operation exactly when PostgreSQL is restarted mid-work, and resumes by itself', async () => {
    const retriesBefore = transientRetries();
    const w = await startWorkload('restart');
    await waitFor('work under way', async () => (await committedWork(w)) > 0, 120_000, 50);

    // A restart that keeps the server away for 3 s: far beyond a few quick redeliveries.
    const { stoppedAt, startedAt } = await pg.restart(3_000);
    const before = await committedWork(w);
    const resumedAt = await waitFor('work to resume after the restart', async () => ((await committedWork(w)) > before ? Date.now() : undefined), 120_000, 50);

    await expectEverythingCompleted(w);
    process.stdout.write(
      `restart: server down ${startedAt - stoppedAt} ms; first commit ${resumedAt - startedAt} ms after it was back; ` +
        `${transientRetries() - retriesBefore} transient retries; paused consumers: ${Object.values(apps).reduce((n, s) => n + (s?.logs.filter((l) => l.event === 'consumption-paused').length ?? 0), 0)}\n`,
    );
  });
});
