import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import type * as amqp from 'amqplib';
import { OperationEvents, OrderEvents, OrderPlacementRpc } from '@asyncops/contracts';
import { ServiceProcess, sleep, Stack, startStack, TestBroker, TestDatabase, waitFor } from '@asyncops/testing';

const ORDER_EVENTS_QUEUE = 'test.order-events';
const OPERATION_EVENTS_QUEUE = 'test.operation-events';
const BATCH_COMMANDS_QUEUE = 'test.batch-commands';

const FINAL_STEPS = [
  'processOrderTerms',
  'closeCart',
  'createStoredPayments',
  'processSubscriptions',
  'processTransactionPayments',
  'changeOrderStatus',
  'processInvoices',
  'sendOrderConfirmation',
];

interface OperationJson {
  id: string;
  status: string;
  stepName: string | null;
  totalJobItems: number | null;
  successfulJobItems: number;
  failedJobItems: number;
  message: string | null;
  errors: Array<{ key?: string; message: string }> | null;
  referenceEntityId: string | null;
}

interface CapturedEvent {
  routingKey: string;
  body: Record<string, unknown>;
}

type ItemSpec = { sku: string; quantity: number; kind?: 'major' | 'coupon'; unitPrice?: string; minorItems?: Array<{ sku: string; quantity: number }> };

/**
 * Seed 004's placeAsync end to end: tracker, order-placement and gateway as their own processes on
 * the real broker and database, driven only through the gateway's native routes.
 */
describe('cart placement in batches (gateway + order-placement + tracker, real broker and database)', () => {
  jest.setTimeout(90_000);

  let stack: Stack;
  let db: TestDatabase;
  let broker: TestBroker;
  let prefix: string;
  let placement: ServiceProcess;
  let events: amqp.Channel;
  const orderEvents: CapturedEvent[] = [];
  const operationEvents: CapturedEvent[] = [];
  /** Every place-batch command the broker routed (a copy; order-placement's own queue gets the same). */
  const batchCommands: CapturedEvent[] = [];
  const commandsFor = (orderId: string) => batchCommands.filter((c) => c.body.orderId === orderId).map((c) => c.body.batch as number);
  const placedBatches = (orderId: string) =>
    placement.logs.filter((l) => l.event === 'batch-placed' && l.orderId === orderId).map((l) => ({ batch: l.batch as number, chained: l.chained as number }));

  // As the gateway's development client (no AUTH_CLIENTS outside production): no gateway imports here.
  const api = (path: string, init: RequestInit = {}) => stack.api(path, init);
  const post = (path: string, body: unknown) => stack.post(path, body);

  async function upsertProducts(products: Array<Record<string, unknown>>): Promise<void> {
    const res = await post('/api/v1/products', { products });
    expect(res.status).toBe(201);
  }

  async function cartWith(items: ItemSpec[]): Promise<string> {
    const created = await post('/api/v1/carts', { currency: 'USD', paymentMethod: 'po-4711', paymentTermDays: 45 });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const added = await post(`/api/v1/carts/${id}/items`, { items });
    expect(added.status).toBe(201);
    return id;
  }

  async function place(cartId: string, body: Record<string, unknown> = {}): Promise<{ operationId: string; orderId: string }> {
    const res = await post(`/api/v1/carts/${cartId}/place`, body);
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { operationId: string; orderId: string };
    expect(res.headers.get('location')).toBe(`/api/v1/operations/${accepted.operationId}`);
    return accepted;
  }

  const operation = (id: string) => stack.operation<OperationJson>(id);
  const finished = (id: string) => stack.finished<OperationJson>(id);

  const majors = (n: number, sku = 'MAJ', minors = ['MIN-A', 'MIN-B']): ItemSpec[] =>
    Array.from({ length: n }, () => ({ sku, quantity: 1, minorItems: minors.map((m) => ({ sku: m, quantity: 2 })) }));

  const eventsFor = (list: CapturedEvent[], key: string, field: string, value: string) => list.filter((e) => e.routingKey === key && e.body[field] === value);

  async function orderRow(orderId: string) {
    const [row] = await db.query<{ status: string; error_code: string | null; error: string | null; total: string; subtotal: string; discount: string; batch_number: number; items_placed: number }>(
      'SELECT * FROM order_placement.orders WHERE id = $1',
      [orderId],
    );
    return row;
  }

  async function itemCounts(orderId: string) {
    const [row] = await db.query<{ major: number; minor: number; coupon: number; total: number; distinct_cart_items: number }>(
      `SELECT count(*) FILTER (WHERE kind = 'major')::int AS major, count(*) FILTER (WHERE kind = 'minor')::int AS minor,
              count(*) FILTER (WHERE kind = 'coupon')::int AS coupon, count(*)::int AS total, count(DISTINCT cart_item_id)::int AS distinct_cart_items
         FROM order_placement.order_item WHERE order_id = $1`,
      [orderId],
    );
    return row;
  }

  /** Cart items that did not become order items, and order items that are not the cart's. */
  async function mismatch(orderId: string, cartId: string): Promise<number> {
    const [row] = await db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM order_placement.cart_item ci
                 WHERE ci.cart_id = $2 AND NOT EXISTS (SELECT 1 FROM order_placement.order_item oi WHERE oi.order_id = $1 AND oi.cart_item_id = ci.id))
            + (SELECT count(*) FROM order_placement.order_item oi
                 WHERE oi.order_id = $1 AND NOT EXISTS (SELECT 1 FROM order_placement.cart_item ci WHERE ci.cart_id = $2 AND ci.id = oi.cart_item_id)) AS n`,
      [orderId, cartId],
    );
    return Number(row.n);
  }

  async function capture(queue: string, pattern: string, into: CapturedEvent[], exchange: 'events' | 'commands' = 'events'): Promise<void> {
    const name = `${prefix}.${queue}`;
    await events.assertQueue(name, { durable: false });
    await events.bindQueue(name, broker.exchange(exchange), pattern);
    await events.consume(name, (m) => m && into.push({ routingKey: m.fields.routingKey, body: JSON.parse(m.content.toString()) as Record<string, unknown> }), { noAck: true });
  }

  beforeAll(async () => {
    stack = await startStack('placement', { apps: ['tracker', 'order-placement', 'gateway'], env: { AMQP_DELIVERY_LIMIT: '3' }, appEnv: { gateway: { WAIT_MAX_SECONDS: '10' } } });
    ({ db, broker, prefix, placement } = stack);
    events = await broker.connection.createChannel();
    await capture(ORDER_EVENTS_QUEUE, 'order.*', orderEvents);
    await capture(OPERATION_EVENTS_QUEUE, 'operation.*', operationEvents);
    await capture(BATCH_COMMANDS_QUEUE, 'order-placement.cmd.place-batch', batchCommands, 'commands');
    await upsertProducts([
      { sku: 'MAJ', name: 'Server rack', unitPrice: '10.0000' },
      { sku: 'MIN-A', name: 'Rail kit', unitPrice: '1.2500' },
      { sku: 'MIN-B', name: 'Support plan', unitPrice: '0.3333', subscriptionMonths: 12 },
      { sku: 'COUPON-10', name: '10 off', unitPrice: '10.0000' },
      { sku: 'RETIRED', name: 'Retired model', unitPrice: '99.0000', active: false },
    ]);
  });

  afterAll(async () => {
    await events?.close().catch(() => undefined);
    await stack?.stop([ORDER_EVENTS_QUEUE, OPERATION_EVENTS_QUEUE, BATCH_COMMANDS_QUEUE]);
  });

  it('places 1,050 major items (2 minor items each) and 2 coupons as one order in 6 batches, reporting each, then the final steps', async () => {
    const items: ItemSpec[] = [...majors(1050), { sku: 'COUPON-10', kind: 'coupon', quantity: 1 }, { sku: 'COUPON-10', kind: 'coupon', quantity: 1 }];
    const cartId = await cartWith(items);
    const { operationId, orderId } = await place(cartId);

    // Read-your-writes: the tracker knows the operation when the 202 is answered.
    const first = await operation(operationId);
    expect(first).toMatchObject({ totalJobItems: 1052, referenceEntityId: orderId });

    const op = await finished(operationId);
    expect(op).toMatchObject({ status: 'Completed', successfulJobItems: 1052, failedJobItems: 0, totalJobItems: 1052, stepName: 'sendOrderConfirmation' });

    // Exactly the cart's items, none twice, in batches of 200 major items + coupons.
    expect(await itemCounts(orderId)).toEqual({ major: 1050, minor: 2100, coupon: 2, total: 3152, distinct_cart_items: 3152 });
    expect(await mismatch(orderId, cartId)).toBe(0);
    const perBatch = await db.query<{ batch: number; heads: number; minors: number }>(
      `SELECT batch, count(*) FILTER (WHERE parent_order_item_id IS NULL)::int AS heads, count(*) FILTER (WHERE parent_order_item_id IS NOT NULL)::int AS minors
         FROM order_placement.order_item WHERE order_id = $1 GROUP BY batch ORDER BY batch`,
      [orderId],
    );
    expect(perBatch.map((b) => b.heads)).toEqual([200, 200, 200, 200, 200, 52]);
    expect(perBatch.map((b) => b.minors)).toEqual([400, 400, 400, 400, 400, 100]);

    // Totals in decimal: 1,050 × (10 + 2×1.25 + 2×0.3333) − 2 × 10.
    const subtotal = new Decimal('10').plus(new Decimal('1.25').mul(2)).plus(new Decimal('0.3333').mul(2)).mul(1050);
    const order = await orderRow(orderId);
    expect(order).toMatchObject({ status: 'Placed', subtotal: subtotal.toFixed(4), discount: '20.0000', total: subtotal.minus(20).toFixed(4), batch_number: 6 });

    // The tracker saw progress after every batch, then the final chain in seed 004's order, then the finish.
    const progress = eventsFor(operationEvents, OperationEvents.ItemsProgressed, 'operationId', operationId).map((e) => e.body.succeeded);
    expect(progress).toEqual([200, 200, 200, 200, 200, 52]);
    const steps = eventsFor(operationEvents, OperationEvents.StepChanged, 'operationId', operationId).map((e) => e.body.stepName as string);
    expect(steps.filter((s) => s === 'performDMLOnOrderItems')).toHaveLength(6);
    expect(steps.filter((s) => s === 'enqueueNext')).toHaveLength(5);
    expect(steps.slice(-FINAL_STEPS.length)).toEqual(FINAL_STEPS);
    expect(eventsFor(operationEvents, OperationEvents.Started, 'operationId', operationId)).toHaveLength(1);

    // Chained: the consumer that ran batch 1 ran batches 2-6 straight after each commit, each
    // withdrawing its own held-back command, so only batch 1's command ever reached the broker.
    expect(placedBatches(orderId)).toEqual([0, 1, 2, 3, 4, 5].map((n) => ({ batch: n + 1, chained: n })));
    expect(commandsFor(orderId)).toEqual([1]);
    const [{ held }] = await db.query<{ held: number }>(
      `SELECT count(*)::int AS held FROM order_placement.outbox WHERE routing_key = 'order-placement.cmd.place-batch' AND payload->>'orderId' = $1`,
      [orderId],
    );
    expect(held).toBe(0);

    // Each final step left its mark.
    const [effects] = await db.query<Record<string, string | number>>(
      `SELECT (SELECT status FROM order_placement.cart WHERE id = $2) AS cart_status,
              (SELECT name FROM order_placement.order_term WHERE order_id = $1) AS terms,
              (SELECT payment_method FROM order_placement.stored_payment WHERE order_id = $1) AS payment_method,
              (SELECT count(*)::int FROM order_placement.subscription WHERE order_id = $1) AS subscriptions,
              (SELECT amount::text FROM order_placement.payment_transaction WHERE order_id = $1) AS authorized,
              (SELECT amount::text FROM order_placement.invoice WHERE order_id = $1) AS invoiced,
              (SELECT (due_date - created_at::date)::int FROM order_placement.invoice WHERE order_id = $1) AS due_in_days`,
      [orderId, cartId],
    );
    expect(effects).toEqual({
      cart_status: 'Closed',
      terms: 'Net 45',
      payment_method: 'po-4711',
      subscriptions: 1050,
      authorized: order.total,
      invoiced: order.total,
      due_in_days: 45,
    });

    // order.placed published once.
    await waitFor('order.placed', async () => eventsFor(orderEvents, OrderEvents.Placed, 'orderId', orderId).length > 0);
    await sleep(500);
    const placed = eventsFor(orderEvents, OrderEvents.Placed, 'orderId', orderId);
    expect(placed).toHaveLength(1);
    expect(placed[0].body).toMatchObject({ operationId, cartId, total: order.total, itemCount: 3152 });

    // The order reads back through the gateway, paged by major item.
    const page = await api(`/api/v1/orders/${orderId}?limit=2`);
    expect(page.status).toBe(200);
    const view = (await page.json()) as { status: string; total: string; items: Array<{ kind: string }>; nextAfter: number | null };
    expect(view).toMatchObject({ status: 'Placed', total: order.total, nextAfter: 1 });
    expect(view.items.map((i) => i.kind)).toEqual(['major', 'minor', 'minor', 'major', 'minor', 'minor']);
    const cart = await (await api(`/api/v1/carts/${cartId}`)).json();
    expect(cart).toMatchObject({ status: 'Closed', majorItems: 1050, minorItems: 2100, coupons: 2 });

    // A duplicated batch command under a fresh message id (so transport dedupe cannot help) is a no-op.
    const logLines = placement.logs.length;
    for (const batch of [3, 6, 7]) {
      await broker.publish('order-placement.cmd.place-batch', { operationId, orderId, batch }, { exchange: 'commands' });
    }
    await waitFor('duplicates handled', async () => placement.logs.slice(logLines).filter((l) => l.event === 'batch-skipped').length === 3);
    expect(await itemCounts(orderId)).toMatchObject({ total: 3152, distinct_cart_items: 3152 });
    expect(await orderRow(orderId)).toMatchObject({ total: order.total, batch_number: 6 });
    await sleep(300);
    expect(eventsFor(orderEvents, OrderEvents.Placed, 'orderId', orderId)).toHaveLength(1);
  });

  it('places a cart within PLACEMENT_INLINE_MAX_ITEMS while accepting it: the 202 is answered with the outcome recorded, and the held-back outbox copies are withdrawn unsent', async () => {
    const cartId = await cartWith(majors(3));
    const { operationId, orderId } = await place(cartId);
    // Read-your-writes of the finished placement: no wait.
    expect(await operation(operationId)).toMatchObject({ status: 'Completed', successfulJobItems: 3, totalJobItems: 3, stepName: 'sendOrderConfirmation' });
    expect(await orderRow(orderId)).toMatchObject({ status: 'Placed', batch_number: 1, items_placed: 3 });
    expect(await itemCounts(orderId)).toEqual({ major: 3, minor: 6, coupon: 0, total: 9, distinct_cart_items: 9 });
    const tracked = () => db.query<{ version: number; successful_job_items: number }>('SELECT version, successful_job_items FROM tracker.async_operation WHERE id = $1', [operationId]);
    const [recorded] = await tracked();

    // The tracker has the lifecycle events: their held-back outbox copies (and the submit's) are
    // withdrawn before they are due, so they are never sent; order.placed goes out as always.
    await waitFor('the copies withdrawn', async () => placement.logs.some((l) => l.event === 'held-events-withdrawn' && l.operationId === operationId));
    expect(placement.logs.find((l) => l.event === 'held-events-withdrawn' && l.operationId === operationId)).toMatchObject({ withdrawn: 17 });
    await waitFor('order.placed', async () => eventsFor(orderEvents, OrderEvents.Placed, 'orderId', orderId).length > 0);
    await sleep(1500);
    expect(operationEvents.filter((e) => e.body.operationId === operationId)).toEqual([]);
    expect(await db.query(`SELECT 1 FROM order_placement.outbox WHERE payload->>'operationId' = $1`, [operationId])).toEqual([]);
    expect(await tracked()).toEqual([recorded]);

    // A domain failure takes the error path in the same transaction: the 202's operation reads Failure.
    const bad = await cartWith([{ sku: 'RETIRED', quantity: 1 }]);
    const failed = await place(bad);
    expect(await operation(failed.operationId)).toMatchObject({ status: 'Failure', errors: [expect.objectContaining({ key: 'INVALID_CART_ITEMS' })] });
    expect(await orderRow(failed.orderId)).toMatchObject({ status: 'Failed', error_code: 'INVALID_CART_ITEMS' });
  });

  it('finishes a small placement from its held-back outbox copies when nobody records its events (the caller died after place-cart)', async () => {
    const cartId = await cartWith(majors(2));
    const [{ owner_id: ownerId }] = await db.query<{ owner_id: string }>('SELECT owner_id FROM order_placement.cart WHERE id = $1', [cartId]);
    // place-cart as the gateway calls it; the gateway's second call (record-submitted) never comes.
    const ch = await broker.connection.createConfirmChannel();
    try {
      const correlationId = randomUUID();
      const reply = new Promise<{ ok: boolean; data: { operationId: string; orderId: string; submitted: { events?: unknown[] } } }>((resolve) =>
        ch.consume('amq.rabbitmq.reply-to', (m) => m?.properties.correlationId === correlationId && resolve(JSON.parse(m.content.toString())), { noAck: true }),
      );
      ch.publish(broker.exchange('commands'), OrderPlacementRpc.PlaceCart, Buffer.from(JSON.stringify({ ownerId, cartId })), {
        messageId: randomUUID(),
        correlationId,
        replyTo: 'amq.rabbitmq.reply-to',
        contentType: 'application/json',
        expiration: '30000',
      });
      await ch.waitForConfirms();
      const { ok, data } = await reply;
      expect(ok).toBe(true);
      expect(data.submitted.events?.length).toBe(16);
      // Nothing withdrew the copies: they reach the tracker about a second later and finish the operation.
      expect(await finished(data.operationId)).toMatchObject({ status: 'Completed', successfulJobItems: 2, totalJobItems: 2 });
      expect(eventsFor(operationEvents, OperationEvents.Finished, 'operationId', data.operationId)).toHaveLength(1);
      expect(placement.logs.some((l) => l.event === 'held-events-withdrawn' && l.operationId === data.operationId)).toBe(false);
    } finally {
      await ch.close().catch(() => undefined);
    }
  });

  it('withdraws only held-back lifecycle copies of an order of the asking owner', async () => {
    // Another owner's withdrawal of a placement's copies withdraws nothing: the copies finish it.
    const cartId = await cartWith(majors(1));
    const [{ owner_id: ownerId }] = await db.query<{ owner_id: string }>('SELECT owner_id FROM order_placement.cart WHERE id = $1', [cartId]);
    const ch = await broker.connection.createConfirmChannel();
    try {
      type Reply = { ok: boolean; data: Record<string, unknown> };
      const replies = new Map<string, (body: Reply) => void>();
      await ch.consume('amq.rabbitmq.reply-to', (m) => m && replies.get(m.properties.correlationId as string)?.(JSON.parse(m.content.toString())), { noAck: true });
      const call = async (routingKey: string, body: unknown) => {
        const correlationId = randomUUID();
        const answer = new Promise<Reply>((resolve) => replies.set(correlationId, resolve));
        ch.publish(broker.exchange('commands'), routingKey, Buffer.from(JSON.stringify(body)), { messageId: randomUUID(), correlationId, replyTo: 'amq.rabbitmq.reply-to', contentType: 'application/json', expiration: '30000' });
        await ch.waitForConfirms();
        return answer;
      };
      const placed = await call(OrderPlacementRpc.PlaceCart, { ownerId, cartId });
      const messageIds = ((placed.data.submitted as { events: Array<{ messageId: string }> }).events).map((e) => e.messageId);
      const operationId = placed.data.operationId as string;
      expect(await call(OrderPlacementRpc.WithdrawHeldEvents, { ownerId: 'someone-else', operationId, messageIds })).toEqual({ ok: true, data: { withdrawn: 0 } });
      expect(await finished(operationId)).toMatchObject({ status: 'Completed', successfulJobItems: 1 });
      expect(eventsFor(operationEvents, OperationEvents.Finished, 'operationId', operationId)).toHaveLength(1);
    } finally {
      await ch.close().catch(() => undefined);
    }
  });

  it('leaves the events of a small placement with over 64 KiB of item failures to the outbox: it still ends in Failure, each failure stored once', async () => {
    // 20 major items with 50 minor items each, all retired: 1,020 failures, too large to ride with the reply.
    const cartId = await cartWith(majors(20, 'RETIRED', Array.from({ length: 50 }, () => 'RETIRED')));
    const { operationId, orderId } = await place(cartId);
    expect(await orderRow(orderId)).toMatchObject({ status: 'Failed', error_code: 'INVALID_CART_ITEMS', batch_number: 0 });
    expect(await finished(operationId)).toMatchObject({ status: 'Failure', failedJobItems: 1020 });
    const [stored] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tracker."item_failure" WHERE "operation_id" = $1', [operationId]);
    expect(stored.n).toBe(1020);
  });

  it('fails on an invalid item in batch 3: batches 1-2 stay committed, the order and the operation name the item', async () => {
    const items = majors(1050);
    items[450] = { sku: 'RETIRED', quantity: 1, minorItems: [{ sku: 'MIN-A', quantity: 1 }] };
    const cartId = await cartWith(items);
    const [bad] = await db.query<{ id: string }>(`SELECT id FROM order_placement.cart_item WHERE cart_id = $1 AND sku = 'RETIRED'`, [cartId]);
    const { operationId, orderId } = await place(cartId);

    const op = await finished(operationId);
    expect(op.status).toBe('Failure');
    expect(op.successfulJobItems).toBe(400);
    expect(op.message).toContain('INVALID_CART_ITEMS');
    expect(op.message).toContain(bad.id);
    expect(op.errors?.[0]).toMatchObject({ key: 'INVALID_CART_ITEMS' });

    const failures = (await (await api(`/api/v1/operations/${operationId}/failures`)).json()) as { data: Array<{ itemKey: string; reason: string }> };
    expect(failures.data).toEqual([expect.objectContaining({ itemKey: bad.id, reason: 'product is inactive' })]);

    expect(await itemCounts(orderId)).toMatchObject({ major: 400, minor: 800, total: 1200 });
    const order = await orderRow(orderId);
    expect(order).toMatchObject({ status: 'Failed', error_code: 'INVALID_CART_ITEMS', batch_number: 2, items_placed: 400 });
    expect(order.error).toContain('RETIRED');

    await waitFor('order.failed', async () => eventsFor(orderEvents, OrderEvents.Failed, 'orderId', orderId).length > 0);
    expect(eventsFor(orderEvents, OrderEvents.Placed, 'orderId', orderId)).toHaveLength(0);
    expect(eventsFor(orderEvents, OrderEvents.Failed, 'orderId', orderId)[0].body).toMatchObject({ code: 'INVALID_CART_ITEMS' });
    // The cart can be fixed and placed again.
    expect(await (await api(`/api/v1/carts/${cartId}`)).json()).toMatchObject({ status: 'Open' });
  });

  it('reports every item failure of a batch with more than 1,000, in several progress events', async () => {
    // One batch of 200 major items with 5 minor items each, all retired: 1,200 invalid items.
    const cartId = await cartWith(majors(200, 'RETIRED', ['RETIRED', 'RETIRED', 'RETIRED', 'RETIRED', 'RETIRED']));
    const { operationId } = await place(cartId);

    const op = await finished(operationId);
    expect(op.status).toBe('Failure');
    expect(op.message).toContain('INVALID_CART_ITEMS');
    expect(op.failedJobItems).toBe(1200);
    const [stored] = await db.query<{ n: string; keys: string }>(
      `SELECT count(*) AS n, count(DISTINCT "item_key") AS keys FROM tracker."item_failure" WHERE "operation_id" = $1`,
      [operationId],
    );
    expect({ n: Number(stored.n), keys: Number(stored.keys) }).toEqual({ n: 1200, keys: 1200 });

    const progressed = () => eventsFor(operationEvents, OperationEvents.ItemsProgressed, 'operationId', operationId);
    await waitFor('the progress events', async () => progressed().length >= 2);
    const progress = progressed().map((e) => e.body as { failed: number; failures?: unknown[] });
    expect(progress.map((e) => e.failed)).toEqual([1000, 200]);
    expect(progress.map((e) => e.failures?.length)).toEqual([1000, 200]);
  });

  it('finishes exactly once after order-placement is SIGKILLed mid-placement and restarted', async () => {
    await placement.stop();
    placement = await stack.startApp('order-placement', { PLACEMENT_BATCH_SIZE: '10' });
    const cartId = await cartWith(majors(1050));
    const { operationId, orderId } = await place(cartId);

    const reached = await waitFor('a few batches committed', async () => {
      const o = await orderRow(orderId);
      return o && o.batch_number >= 5 ? o.batch_number : undefined;
    }, 30_000, 10);
    await placement.kill();
    const atKill = (await orderRow(orderId)).batch_number;
    expect(atKill).toBeGreaterThanOrEqual(reached);
    expect(atKill).toBeLessThan(105);
    // The batches so far ran as one chain on the consumer that got batch 1's command.
    const beforeKill = placedBatches(orderId);
    expect(beforeKill.slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((n) => ({ batch: n + 1, chained: n })));
    const logsAtKill = placement.logs.length;

    await placement.start();
    const op = await finished(operationId);
    expect(op).toMatchObject({ status: 'Completed', successfulJobItems: 1050 });
    expect(await itemCounts(orderId)).toEqual({ major: 1050, minor: 2100, coupon: 0, total: 3150, distinct_cart_items: 3150 });
    expect(await mismatch(orderId, cartId)).toBe(0);
    expect(await orderRow(orderId)).toMatchObject({ status: 'Placed', batch_number: 105, items_placed: 1050 });
    // The restarted process took over at the first batch not committed, through that batch's
    // held-back command, and chained from there: every batch once, none skipped, none redone.
    const afterRestart = placement.logs
      .slice(logsAtKill)
      .filter((l) => l.event === 'batch-placed' && l.orderId === orderId)
      .map((l) => l.batch as number);
    expect(afterRestart).toEqual(Array.from({ length: 105 - atKill }, (_, i) => atKill + 1 + i));
    expect(commandsFor(orderId)).toContain(atKill + 1);
    const perBatch = await db.query<{ batch: number; heads: number }>(
      `SELECT batch, count(*) FILTER (WHERE kind = 'major')::int AS heads FROM order_placement.order_item WHERE order_id = $1 GROUP BY batch ORDER BY batch`,
      [orderId],
    );
    expect(perBatch).toEqual(Array.from({ length: 105 }, (_, i) => ({ batch: i + 1, heads: 10 })));
    await waitFor('order.placed', async () => eventsFor(orderEvents, OrderEvents.Placed, 'orderId', orderId).length > 0);
    await sleep(500);
    expect(eventsFor(orderEvents, OrderEvents.Placed, 'orderId', orderId)).toHaveLength(1);
  });

  describe('prices older than the price book', () => {
    async function staleCart(sku: string, newPrice: string | null): Promise<string> {
      await upsertProducts([{ sku, name: sku, unitPrice: '5.0000' }]);
      const cartId = await cartWith(Array.from({ length: 30 }, () => ({ sku, quantity: 2, minorItems: [{ sku: 'MIN-A', quantity: 1 }] })));
      await upsertProducts([{ sku, name: sku, unitPrice: newPrice }]);
      return cartId;
    }

    it('are repriced from the products when the placement allows it', async () => {
      const cartId = await staleCart('REPRICE-ME', '6.5000');
      const { operationId, orderId } = await place(cartId, { allowRepricing: true });
      expect(await finished(operationId)).toMatchObject({ status: 'Completed', successfulJobItems: 30 });
      // 30 × (2 × 6.50 + 1.25): the major items at the new price, minor items unchanged.
      expect(await orderRow(orderId)).toMatchObject({ status: 'Placed', total: '427.5000' });
      const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM order_placement.order_item WHERE order_id = $1 AND repriced', [orderId]);
      expect(r.n).toBe(30);
    });

    it('end in PRICING_FOR_ORDER_FAILED on the error path when a product has no price', async () => {
      const cartId = await staleCart('NO-PRICE', null);
      const { operationId, orderId } = await place(cartId, { allowRepricing: true });
      const op = await finished(operationId);
      expect(op.status).toBe('Failure');
      expect(op.errors?.[0]).toMatchObject({ key: 'PRICING_FOR_ORDER_FAILED' });
      expect(await orderRow(orderId)).toMatchObject({ status: 'Failed', error_code: 'PRICING_FOR_ORDER_FAILED' });
      expect(await itemCounts(orderId)).toMatchObject({ total: 0 });
      await waitFor('order.failed', async () => eventsFor(orderEvents, OrderEvents.Failed, 'orderId', orderId).length > 0);
    });

    it('fail the placement when repricing is not allowed', async () => {
      const cartId = await staleCart('STALE', '7.0000');
      const { operationId, orderId } = await place(cartId);
      const op = await finished(operationId);
      expect(op.status).toBe('Failure');
      expect(op.errors?.[0]).toMatchObject({ key: 'CART_PRICES_STALE' });
      expect(await orderRow(orderId)).toMatchObject({ status: 'Failed', error_code: 'CART_PRICES_STALE' });
    });
  });

  it('answers client mistakes with 4xx problems naming the field', async () => {
    const bad = await post('/api/v1/carts', { currency: 'usd' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ field: string }> }).errors[0].field).toBe('currency');
    const cartId = await cartWith([{ sku: 'MAJ', quantity: 1 }]);
    const price = await post(`/api/v1/carts/${cartId}/items`, { items: [{ sku: 'MAJ', quantity: 1, unitPrice: 1.5 }] });
    expect(price.status).toBe(400);
    expect(((await price.json()) as { errors: Array<{ field: string }> }).errors[0].field).toBe('items.0.unitPrice');
    const unknown = await post(`/api/v1/carts/${cartId}/items`, { items: [{ sku: 'NOPE', quantity: 1 }] });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()) as { detail: string }).toMatchObject({ detail: expect.stringContaining('UNKNOWN_PRODUCTS') });
    expect((await api('/api/v1/carts/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const empty = await post('/api/v1/carts', { currency: 'EUR' });
    const emptyId = ((await empty.json()) as { id: string }).id;
    expect((await post(`/api/v1/carts/${emptyId}/place`, {})).status).toBe(400);
    // Refused as a whole: no order, and the cart still takes items.
    expect(await db.query('SELECT id FROM order_placement.orders WHERE cart_id = $1', [emptyId])).toEqual([]);
    expect(((await (await api(`/api/v1/carts/${emptyId}`)).json()) as { status: string }).status).toBe('Open');
    await place(cartId);
    expect((await post(`/api/v1/carts/${cartId}/items`, { items: [{ sku: 'MAJ', quantity: 1 }] })).status).toBe(409);
  });
});
