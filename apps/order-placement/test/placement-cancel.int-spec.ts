import type * as amqp from 'amqplib';
import { ServiceProcess, sleep, Stack, startStack, TestBroker, TestDatabase, waitFor } from '@asyncops/testing';

// The gateway's development client (no AUTH_CLIENTS outside production) keeps this suite free of gateway imports.
const CLIENT = { id: 'dev-client', secret: 'dev-secret' };
const ORDER_EVENTS_QUEUE = 'test.cancel-order-events';
const ITEMS = 5000;
const BATCH = 50;

interface OperationJson {
  status: string;
  totalJobItems: number | null;
  successfulJobItems: number;
  failedJobItems: number;
  message: string | null;
  errors: Array<{ key?: string; message: string }> | null;
  result: Record<string, unknown> | null;
}

describe('cancelling a running cart placement (gateway + order-placement + tracker, real broker and database)', () => {
  jest.setTimeout(120_000);

  let stack: Stack;
  let db: TestDatabase;
  let broker: TestBroker;
  let prefix: string;
  let gateway: ServiceProcess;
  let token: string;
  let events: amqp.Channel;
  const orderEvents: Array<{ routingKey: string; body: Record<string, unknown> }> = [];

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const post = (path: string, body: unknown) => api(path, { method: 'POST', body: JSON.stringify(body) });
  const operation = async (id: string) => (await (await api(`/api/v1/operations/${id}`)).json()) as OperationJson;

  beforeAll(async () => {
    stack = await startStack('placement_cancel', {
      apps: ['tracker', 'order-placement', 'gateway'],
      env: { AMQP_DELIVERY_LIMIT: '3' },
      appEnv: { 'order-placement': { PLACEMENT_BATCH_SIZE: String(BATCH), PROCESSED_MESSAGE_PRUNE_INTERVAL_MS: '1000' } },
    });
    ({ db, broker, prefix, gateway } = stack);
    token = await stack.token(CLIENT);
    events = await broker.connection.createChannel();
    const name = `${prefix}.${ORDER_EVENTS_QUEUE}`;
    await events.assertQueue(name, { durable: false });
    await events.bindQueue(name, broker.exchange('events'), 'order.*');
    await events.consume(name, (m) => m && orderEvents.push({ routingKey: m.fields.routingKey, body: JSON.parse(m.content.toString()) as Record<string, unknown> }), { noAck: true });
    expect((await post('/api/v1/products', { products: [{ sku: 'MAJ', name: 'Rack', unitPrice: '10.0000' }, { sku: 'MIN', name: 'Rail', unitPrice: '1.0000' }] })).status).toBe(201);
  });

  afterAll(async () => {
    await events?.close().catch(() => undefined);
    await stack?.stop([ORDER_EVENTS_QUEUE]);
  });

  it('stops a 5,000-item placement at the next batch: the placed batches stay, the order is Failed with PLACEMENT_CANCELLED, the cart opens again, the operation ends Cancelled with the counts, and a second cancel is 409', async () => {
    const created = await post('/api/v1/carts', { currency: 'USD' });
    const { id: cartId } = (await created.json()) as { id: string };
    const items = Array.from({ length: ITEMS }, () => ({ sku: 'MAJ', kind: 'major', quantity: 1, minorItems: [{ sku: 'MIN', quantity: 1 }] }));
    expect((await post(`/api/v1/carts/${cartId}/items`, { items })).status).toBe(201);
    const placed = await post(`/api/v1/carts/${cartId}/place`, {});
    expect(placed.status).toBe(202);
    const { operationId, orderId } = (await placed.json()) as { operationId: string; orderId: string };

    await waitFor(
      'a few batches to be placed',
      async () => {
        const op = await operation(operationId);
        if (op.status !== 'Submitted' && op.status !== 'InProgress') throw new Error(`placement ended (${op.status}) before it could be cancelled`);
        return op.successfulJobItems >= 3 * BATCH ? op : undefined;
      },
      60_000,
      20,
    );
    const cancel = await post(`/api/v1/operations/${operationId}/cancel`, { reason: 'wrong cart' });
    expect(cancel.status).toBe(202);

    const op = await waitFor('the operation to end', async () => {
      const o = await operation(operationId);
      return o.status === 'Cancelled' || o.status === 'Completed' || o.status === 'Failure' ? o : undefined;
    }, 60_000, 50);
    expect(op.status).toBe('Cancelled');
    expect(op.errors).toEqual([expect.objectContaining({ key: 'PLACEMENT_CANCELLED' })]);
    expect(op.message).toMatch(/^PLACEMENT_CANCELLED: the placement was cancelled at the client's request after \d+ of 5000 item\(s\)/);

    const [order] = await db.query<{ status: string; error_code: string; items_placed: number; batch_number: number }>(
      'SELECT "status", "error_code", "items_placed", "batch_number" FROM order_placement.orders WHERE id = $1',
      [orderId],
    );
    expect(order).toMatchObject({ status: 'Failed', error_code: 'PLACEMENT_CANCELLED' });
    const [counts] = await db.query<{ major: number; minor: number; batches: number }>(
      `SELECT count(*) FILTER (WHERE kind = 'major')::int AS major, count(*) FILTER (WHERE kind = 'minor')::int AS minor, count(DISTINCT batch)::int AS batches
         FROM order_placement.order_item WHERE order_id = $1`,
      [orderId],
    );
    // Whole batches only, the committed ones, each major item with its minor item.
    expect(counts.major).toBe(order.items_placed);
    expect(counts.minor).toBe(counts.major);
    expect(counts.major % BATCH).toBe(0);
    expect(counts.major).toBeGreaterThanOrEqual(3 * BATCH);
    expect(counts.major).toBeLessThan(ITEMS);
    expect(counts.batches).toBe(order.batch_number);
    expect(op).toMatchObject({ totalJobItems: ITEMS, successfulJobItems: counts.major, failedJobItems: 0 });
    expect(op.result).toMatchObject({ orderId, status: 'Failed', errorCode: 'PLACEMENT_CANCELLED', itemsPlaced: counts.major });

    const cart = (await (await api(`/api/v1/carts/${cartId}`)).json()) as { status: string };
    expect(cart.status).toBe('Open');
    const nativeOrder = (await (await api(`/api/v1/orders/${orderId}?limit=1`)).json()) as { status: string };
    expect(nativeOrder.status).toBe('Failed');

    await waitFor('order.failed', async () => orderEvents.find((e) => e.routingKey === 'order.failed' && e.body.orderId === orderId), 10_000, 50);
    await sleep(1000);
    expect(orderEvents.filter((e) => e.body.orderId === orderId).map((e) => [e.routingKey, e.body.code])).toEqual([['order.failed', 'PLACEMENT_CANCELLED']]);
    const [{ n: later }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM order_placement.order_item WHERE order_id = $1 AND kind = 'major'`, [orderId]);
    expect(later).toBe(counts.major);

    const again = await post(`/api/v1/operations/${operationId}/cancel`, {});
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ status: 409, code: 'CONFLICT' });
  });
  it('prunes processed message ids after PROCESSED_MESSAGE_RETENTION_DAYS (7) and keeps younger ones', async () => {
    await db.query(
      `INSERT INTO order_placement.processed_message (consumer, message_id, processed_at) VALUES ('test', 'aged', now() - interval '7 days 1 minute'), ('test', 'recent', now() - interval '6 days')`,
    );
    await waitFor('the aged message id to be pruned', async () => ((await db.query(`SELECT 1 FROM order_placement.processed_message WHERE message_id = 'aged'`)).length === 0 ? true : undefined), 20_000, 100);
    expect(await db.query(`SELECT message_id FROM order_placement.processed_message WHERE consumer = 'test'`)).toEqual([{ message_id: 'recent' }]);
  });
});
