import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { OrderPlacementRpc } from '@asyncops/contracts';
import { createTestDatabase, ServiceProcess, teardownWithin, TEST_AMQP_URL, TestBroker, TestDatabase, uniquePrefix } from '@asyncops/testing';
import { ORDER_PLACEMENT_QUEUES } from '../src/queues';

const TRACKER_QUEUES = ['tracker.events', 'tracker.rpc', 'tracker.dead-letter-watch'];

/**
 * Request/reply handlers are safe to run twice: a request delivered again under the same message
 * id (its reply or ack was lost, or the caller retried it) gets the first answer, not a second run.
 */
describe('order-placement answers a repeated request from its reply store (real broker and database)', () => {
  let db: TestDatabase;
  let broker: TestBroker;
  let prefix: string;
  let placement: ServiceProcess;
  let conn: amqp.ChannelModel;
  let ch: amqp.ConfirmChannel;
  const pending = new Map<string, (body: unknown) => void>();
  const owner = 'client-rpc';

  /** A raw request/reply call, as any caller would make it, with the message id it chooses. */
  async function call(routingKey: string, body: unknown, messageId: string = randomUUID()): Promise<{ ok: boolean; data?: unknown; error?: unknown }> {
    const correlationId = randomUUID();
    const answer = new Promise<unknown>((resolve) => pending.set(correlationId, resolve));
    ch.publish(`${prefix}.commands`, routingKey, Buffer.from(JSON.stringify(body)), {
      messageId,
      correlationId,
      replyTo: 'amq.rabbitmq.reply-to',
      contentType: 'application/json',
      expiration: '30000',
    });
    await ch.waitForConfirms();
    return (await answer) as { ok: boolean; data?: unknown; error?: unknown };
  }

  const cartItemCount = async (cartId: string) => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM order_placement.cart_item WHERE cart_id = $1', [cartId]))[0].n);
  const storedReplies = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM order_placement.rpc_reply'))[0].n);

  beforeAll(async () => {
    db = await createTestDatabase('rpcreplies');
    prefix = uniquePrefix('rpcreplies');
    broker = await TestBroker.connect(prefix);
    placement = await ServiceProcess.start('order-placement', { DATABASE_URL: db.url, AMQP_PREFIX: prefix });
    conn = await amqp.connect(TEST_AMQP_URL);
    ch = await conn.createConfirmChannel();
    await ch.consume(
      'amq.rabbitmq.reply-to',
      (m) => {
        const resolve = m && pending.get(m.properties.correlationId as string);
        if (m && resolve) resolve(JSON.parse(m.content.toString()));
      },
      { noAck: true },
    );
  });

  afterAll(() =>
    teardownWithin(60_000, [
      ['close the caller', () => conn?.close().catch(() => undefined)],
      ['stop order-placement', () => placement?.stop()],
      ['remove the topology', () => broker?.deleteTopology([...ORDER_PLACEMENT_QUEUES, ...TRACKER_QUEUES])],
      ['close the broker client', () => broker?.close()],
      ['drop the database', () => db?.drop()],
    ]),
  );

  it('adds cart items once when the same request arrives twice, answering both with the first reply', async () => {
    expect((await call(OrderPlacementRpc.UpsertProducts, { ownerId: owner, products: [{ sku: 'SKU-1', name: 'Widget', unitPrice: '2.5000' }] })).ok).toBe(true);
    const cart = (await call(OrderPlacementRpc.CreateCart, { ownerId: owner, currency: 'USD' })) as { ok: true; data: { id: string } };
    expect(cart.ok).toBe(true);
    const cartId = cart.data.id;

    const request = { ownerId: owner, cartId, items: [{ sku: 'SKU-1', quantity: 3 }, { sku: 'SKU-1', quantity: 1 }] };
    const messageId = `${OrderPlacementRpc.AddCartItems}:${randomUUID()}`;
    const first = await call(OrderPlacementRpc.AddCartItems, request, messageId);
    const again = await call(OrderPlacementRpc.AddCartItems, request, messageId);

    expect(first).toMatchObject({ ok: true, data: { cartId, added: 2 } });
    expect(again).toEqual(first);
    expect(await cartItemCount(cartId)).toBe(2);
    expect(placement.logs.filter((l) => l.event === 'rpc-replayed' && l.messageId === messageId)).toHaveLength(1);

    // A new message id is a new request: the items are added again.
    expect(await call(OrderPlacementRpc.AddCartItems, request)).toMatchObject({ ok: true, data: { added: 2 } });
    expect(await cartItemCount(cartId)).toBe(4);
  });

  it('keeps no reply for reads: they are simply answered again', async () => {
    const cart = (await call(OrderPlacementRpc.CreateCart, { ownerId: owner, currency: 'EUR' })) as { ok: true; data: { id: string } };
    const before = await storedReplies();
    const messageId = randomUUID();
    const read1 = await call(OrderPlacementRpc.GetCart, { ownerId: owner, cartId: cart.data.id }, messageId);
    const read2 = await call(OrderPlacementRpc.GetCart, { ownerId: owner, cartId: cart.data.id }, messageId);
    expect(read1).toMatchObject({ ok: true, data: { id: cart.data.id } });
    expect(read2).toEqual(read1);
    expect(await storedReplies()).toBe(before);
  });
});
