import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { createTestDatabase, PrivateBroker, ServiceProcess, sleep, TcpProxy, teardownWithin, TestDatabase, uniquePrefix, waitFor } from '@asyncops/testing';

const CONSUMER_TIMEOUT_MS = 2000;
const BATCH_SIZE = 25;

interface OperationJson {
  id: string;
  status: string;
  totalJobItems: number | null;
  successfulJobItems: number;
  failedJobItems: number;
  startedAt: string | null;
  finishedAt: string | null;
}

/**
 * Faults between order-placement and the broker while a cart is placed in batches, and a gateway
 * killed mid-request, on a RabbitMQ node of this suite's own (its consumer_timeout is set low).
 * order-placement reaches the broker through a TCP proxy the test controls.
 */
describe('placement survives broker-side faults (private broker node, TCP proxy)', () => {
  let broker: PrivateBroker;
  let proxy: TcpProxy;
  let db: TestDatabase;
  let tracker: ServiceProcess;
  let placement: ServiceProcess;
  let gateway: ServiceProcess;
  let token: string;
  let gatewayEnv: Record<string, string>;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) => api(path, { method: 'POST', body: JSON.stringify(body), headers });

  async function login(): Promise<void> {
    const res = await fetch(`${gateway.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'dev-client', client_secret: 'dev-secret' }).toString(),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  }

  async function cartOf(majors: number): Promise<string> {
    const created = await post('/api/v1/carts', { currency: 'USD' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const items = Array.from({ length: majors }, () => ({ sku: 'MAJ', quantity: 1, minorItems: [{ sku: 'MIN', quantity: 2 }] }));
    const added = await post(`/api/v1/carts/${id}/items`, { items }, { 'idempotency-key': randomUUID() });
    expect(added.status).toBe(201);
    return id;
  }

  async function finished(operationId: string, timeoutMs = 150_000): Promise<OperationJson> {
    let last: unknown;
    try {
      return await waitFor(
        `operation ${operationId} to finish`,
        async () => {
          const res = await api(`/api/v1/operations/${operationId}?wait=5`);
          last = res.status === 200 ? await res.json() : res.status;
          if (res.status !== 200) return undefined;
          const op = last as OperationJson;
          return ['Completed', 'CompletedWithFailures', 'Failure', 'Cancelled'].includes(op.status) ? op : undefined;
        },
        timeoutMs,
        100,
      );
    } catch (e) {
      // What the next engineer needs when this times out: where the work stopped, and what each process said.
      throw new Error(`${(e as Error).message}\n${await whereItStopped(operationId, last)}`);
    }
  }

  async function whereItStopped(operationId: string, last: unknown): Promise<string> {
    const q = async (sql: string, values: unknown[] = []) => JSON.stringify(await db.query(sql, values).catch((err: Error) => err.message));
    const noisy = (p: ServiceProcess) =>
      p.logs
        .filter((l) => l.level !== 'info' && l.level !== 'debug')
        .slice(-40)
        .map((l) => JSON.stringify(l).slice(0, 600))
        .join('\n');
    return [
      `last answer: ${JSON.stringify(last)}`,
      `tracker row: ${await q('SELECT status, step_name, successful_job_items, failed_job_items, total_job_items, version FROM tracker.async_operation WHERE id = $1', [operationId])}`,
      `order: ${await q('SELECT status, batch_number FROM order_placement.orders WHERE operation_id = $1', [operationId])}`,
      `outboxes: ${await q("SELECT 'order_placement' AS schema, count(*)::int AS n, min(publish_after) AS due FROM order_placement.outbox UNION ALL SELECT 'tracker', count(*)::int, min(publish_after) FROM tracker.outbox")}`,
      `tracker (not info):\n${noisy(tracker)}`,
      `order-placement (not info):\n${noisy(placement)}`,
      `gateway (not info):\n${noisy(gateway)}`,
    ].join('\n');
  }

  /** Every cart item became exactly one order item, and the order is placed with exact counts. */
  async function placedExactlyOnce(orderId: string, cartId: string, majors: number): Promise<void> {
    const [counts] = await db.query<{ total: number; distinct_items: number; cart_items: number }>(
      `SELECT (SELECT count(*)::int FROM order_placement.order_item WHERE order_id = $1) AS total,
              (SELECT count(DISTINCT cart_item_id)::int FROM order_placement.order_item WHERE order_id = $1) AS distinct_items,
              (SELECT count(*)::int FROM order_placement.cart_item WHERE cart_id = $2) AS cart_items`,
      [orderId, cartId],
    );
    expect(counts).toEqual({ total: majors * 2, distinct_items: majors * 2, cart_items: majors * 2 });
    const [order] = await db.query<{ status: string; items_placed: number; batch_number: number }>('SELECT status, items_placed, batch_number FROM order_placement.orders WHERE id = $1', [orderId]);
    expect(order).toMatchObject({ status: 'Placed', batch_number: Math.ceil(majors / BATCH_SIZE) });
  }

  const redeliveries = () =>
    placement.logs.filter((l) => l.event === 'batch-skipped' || /will be redelivered|acknowledgement timed out|dead-lettered/i.test(`${l.msg ?? ''} ${String(l.error ?? '')}`));

  beforeAll(async () => {
    broker = await PrivateBroker.start('workfaults', { config: [`consumer_timeout = ${CONSUMER_TIMEOUT_MS}`] });
    // The broker checks consumer timeouts on its channel tick (a minute by default).
    await broker.eval('application:set_env(rabbit, channel_tick_interval, 1000).');
    proxy = await TcpProxy.start('127.0.0.1', broker.port);
    db = await createTestDatabase('workfaults');
    const common = { DATABASE_URL: db.url, AMQP_PREFIX: uniquePrefix('workfaults'), OUTBOX_POLL_MS: '100' };
    tracker = await ServiceProcess.start('tracker', { ...common, AMQP_URL: broker.url });
    placement = await ServiceProcess.start('order-placement', { ...common, AMQP_URL: proxy.urlFor(broker.url), PLACEMENT_BATCH_SIZE: String(BATCH_SIZE) });
    gatewayEnv = { ...common, AMQP_URL: broker.url, AUTH_TOKEN_SECRET: 'a-test-signing-key-that-is-long-enough-123', WAIT_MAX_SECONDS: '5', IDEMPOTENCY_LEASE_SECONDS: '5' };
    gateway = await ServiceProcess.start('gateway', gatewayEnv);
    await login();
    const products = await post('/api/v1/products', {
      products: [
        { sku: 'MAJ', name: 'Server rack', unitPrice: '10.0000' },
        { sku: 'MIN', name: 'Rail kit', unitPrice: '1.2500' },
      ],
    });
    expect(products.status).toBe(201);
  });

  afterAll(() =>
    teardownWithin(120_000, [
      ['resume tracker', () => tracker?.resume()],
      ['stop gateway', () => gateway?.stop()],
      ['stop order-placement', () => placement?.stop()],
      ['stop tracker', () => tracker?.stop()],
      ['stop the proxy', () => proxy?.stop()],
      ['stop the private broker', () => broker?.stop()],
      ['drop the database', () => db?.drop()],
    ]),
  );

  it("the broker's consumer_timeout is in force on this node (a consumer holding a message longer loses its channel)", async () => {
    const conn = await amqp.connect(broker.url);
    conn.on('error', () => undefined);
    try {
      const ch = await conn.createChannel();
      const closed = new Promise<number>((resolve) => ch.on('close', () => resolve(Date.now())));
      ch.on('error', () => undefined);
      const { queue } = await ch.assertQueue('', { exclusive: true });
      ch.sendToQueue(queue, Buffer.from('held'));
      const started = Date.now();
      await ch.consume(queue, () => undefined, { noAck: false });
      expect((await closed) - started).toBeGreaterThanOrEqual(CONSUMER_TIMEOUT_MS);
    } finally {
      await conn.close().catch(() => undefined);
    }
  });

  it('a placement longer than consumer_timeout completes without a redelivery or a batch run twice', async () => {
    // 240 batches: several times the timeout even on an idle machine (about 25 ms a batch there).
    const majors = 6000;
    const cartId = await cartOf(majors);
    const res = await post(`/api/v1/carts/${cartId}/place`, {}, { 'idempotency-key': randomUUID() });
    expect(res.status).toBe(202);
    const { operationId, orderId } = (await res.json()) as { operationId: string; orderId: string };
    const op = await finished(operationId);
    const tookMs = Date.parse(op.finishedAt as string) - Date.parse(op.startedAt as string);
    process.stdout.write(`consumer_timeout: ${majors * 2} items in ${Math.ceil(majors / BATCH_SIZE)} batches took ${tookMs} ms (consumer_timeout ${CONSUMER_TIMEOUT_MS} ms)\n`);

    // The job must outlast the timeout for this test to mean anything; each batch is its own short message.
    expect(tookMs).toBeGreaterThan(CONSUMER_TIMEOUT_MS);
    expect(op).toMatchObject({ status: 'Completed', totalJobItems: majors, successfulJobItems: majors, failedJobItems: 0 });
    await placedExactlyOnce(orderId, cartId, majors);
    expect(redeliveries()).toEqual([]);
  });

  it('a connection reset and a 200 ms link between order-placement and the broker: the placement completes exactly once', async () => {
    const majors = 400;
    const cartId = await cartOf(majors);
    proxy.setLatency(200);
    const res = await post(`/api/v1/carts/${cartId}/place`, {}, { 'idempotency-key': randomUUID() });
    expect(res.status).toBe(202);
    const { operationId, orderId } = (await res.json()) as { operationId: string; orderId: string };
    const acceptedBefore = proxy.accepted;
    // Reset once the work is under way, and again a little later.
    await waitFor('first batch placed', async () => ((await db.query<{ n: number }>('SELECT batch_number AS n FROM order_placement.orders WHERE id = $1', [orderId]))[0]?.n ?? 0) >= 1, 60_000, 50);
    const reset1 = proxy.resetAll();
    await sleep(1500);
    const reset2 = proxy.resetAll();
    const resetAt = Date.now();
    const op = await finished(operationId);
    process.stdout.write(
      `proxy: reset ${reset1} + ${reset2} connection(s); order-placement reconnected ${proxy.accepted - acceptedBefore} time(s); finished ${Date.now() - resetAt} ms after the last reset\n`,
    );
    proxy.setLatency(0);

    expect(reset1).toBeGreaterThan(0);
    expect(proxy.accepted).toBeGreaterThan(acceptedBefore);
    expect(op).toMatchObject({ status: 'Completed', totalJobItems: majors, successfulJobItems: majors, failedJobItems: 0 });
    await placedExactlyOnce(orderId, cartId, majors);
  });

  it('gateway SIGKILLed after order-placement committed the placement and before it answered: the operation still completes', async () => {
    const majors = 100;
    const cartId = await cartOf(majors);
    // With the tracker paused, the gateway hangs on its read-your-writes call after order-placement
    // has committed the order and queued its work in the outbox.
    tracker.pause();
    const answer = post(`/api/v1/carts/${cartId}/place`, {}, { 'idempotency-key': randomUUID() }).then(
      (r) => r.status,
      () => 'connection lost',
    );
    const order = await waitFor(
      'order committed by order-placement',
      async () => (await db.query<{ id: string; operation_id: string }>('SELECT id, operation_id FROM order_placement.orders WHERE cart_id = $1', [cartId]))[0],
      60_000,
      50,
    );
    await gateway.kill();
    tracker.resume();
    expect(await answer).toBe('connection lost');

    gateway = await ServiceProcess.start('gateway', gatewayEnv);
    await login();
    const op = await finished(order.operation_id);
    expect(op).toMatchObject({ status: 'Completed', totalJobItems: majors, successfulJobItems: majors, failedJobItems: 0 });
    await placedExactlyOnce(order.id, cartId, majors);
  });
});
