import * as amqp from 'amqplib';
import { ExchangeRole, RpcErrorCode, SubmittedJob, TrackerRpc, TRACKER_RPC_PATTERN } from '@asyncops/contracts';
import { AmqpConnection, RpcClient, RpcError, Topology } from '@asyncops/messaging';
import { JsonLogger } from '@asyncops/platform';
import { ServiceProcess, TEST_AMQP_URL, waitFor } from '@asyncops/testing';
import { at, newId, operation, TrackerEnv, trackerEnv } from './support';

/**
 * Request/reply calls travel on a classic queue (`tracker.requests`); the quorum queue an older
 * deployment declared (`tracker.rpc`) is unbound and its requests are still answered before it is
 * deleted, and a request lost from the classic queue reaches its caller as a timeout whose retry
 * under the same message id is answered once.
 */
describe('tracker: request queues (real broker and database)', () => {
  let t: TrackerEnv;
  let connection: AmqpConnection;
  let rpc: RpcClient;
  let admin: amqp.ChannelModel;
  let tracker: ServiceProcess | undefined;

  beforeAll(async () => {
    t = await trackerEnv('request_queues');
    const log = new JsonLogger('request-queues-test', 'warn', () => undefined).child('test');
    connection = new AmqpConnection(TEST_AMQP_URL, new Topology(t.prefix, 3), log, 'request-queues-test');
    await connection.start();
    rpc = new RpcClient(connection, 'gateway', log);
    admin = await amqp.connect(TEST_AMQP_URL);
  });
  afterAll(async () => {
    rpc?.close();
    await connection?.close();
    await admin?.close().catch(() => undefined);
    await t.teardown();
  });

  const job = (): SubmittedJob => ({
    operation: { operationId: newId(), occurredAt: at(-1000), ownerId: 'client-a', producer: 'order-placement', jobType: 'PlaceOrder', referenceEntityId: newId(), referenceEntityType: 'Order' },
  });

  /** A passive look at a queue of the suite's prefix; undefined once it is gone. */
  const queueInfo = async (name: string) => {
    const ch = await admin.createChannel();
    ch.on('error', () => undefined);
    try {
      return await ch.checkQueue(`${t.prefix}.${name}`);
    } catch {
      return undefined;
    } finally {
      await ch.close().catch(() => undefined);
    }
  };

  /** Whether declaring the queue with these arguments is accepted (a different type is refused). */
  const declaredAs = async (name: string, type: 'classic' | 'quorum') => {
    const ch = await admin.createChannel();
    ch.on('error', () => undefined);
    try {
      await ch.assertQueue(`${t.prefix}.${name}`, { durable: true, arguments: type === 'quorum' ? { 'x-queue-type': 'quorum', 'x-delivery-limit': 3 } : { 'x-queue-type': 'classic' } });
      return true;
    } catch {
      return false;
    } finally {
      await ch.close().catch(() => undefined);
    }
  };

  it('answers requests left on the quorum queue of an older deployment, then deletes it, and takes new requests on a classic queue', async () => {
    // The older deployment's request queue, bound as it declared it, holding a request nobody consumed yet.
    const ch = await admin.createChannel();
    await ch.assertExchange(`${t.prefix}.${ExchangeRole.Commands}`, 'topic', { durable: true });
    await ch.assertQueue(`${t.prefix}.tracker.rpc`, { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 3 } });
    await ch.bindQueue(`${t.prefix}.tracker.rpc`, `${t.prefix}.${ExchangeRole.Commands}`, TRACKER_RPC_PATTERN);
    await ch.close();
    const left = job();
    const answer = rpc.request(TrackerRpc.RecordSubmitted, left, 60_000, { messageId: `left-${left.operation.operationId}` });
    await waitFor('the request to wait on the old queue', async () => ((await queueInfo('tracker.rpc'))?.messageCount === 1 ? true : undefined), 10_000);

    tracker = await t.startTracker();
    await expect(answer).resolves.toMatchObject({ id: left.operation.operationId, status: 'Submitted' });
    expect((await operation(t.db, left.operation.operationId))?.status).toBe('Submitted');
    await waitFor('the old queue to be deleted', async () => ((await queueInfo('tracker.rpc')) === undefined ? true : undefined), 30_000);
    expect(tracker.logs.some((l) => l.event === 'retired-queue-draining')).toBe(true);
    // Logged right after the delete: the broker can show the queue gone before the line has crossed the pipe.
    const started = tracker;
    await waitFor('the deletion logged', async () => started.logs.some((l) => l.event === 'retired-queue-deleted') || undefined, 5_000);

    expect(await declaredAs('tracker.requests', 'classic')).toBe(true);
    expect(await declaredAs('tracker.requests', 'quorum')).toBe(false);
    const next = job();
    await expect(rpc.request(TrackerRpc.RecordSubmitted, next, 20_000)).resolves.toMatchObject({ id: next.operation.operationId, status: 'Submitted' });
    // Its request was consumed from the classic queue: the retired one was not declared again.
    expect(await queueInfo('tracker.rpc')).toBeUndefined();
  });

  it('answers a request lost from the classic queue with a timeout, and its retry under the same message id once', async () => {
    if (!tracker) tracker = await t.startTracker();
    await tracker.stop();
    const j = job();
    const messageId = `retry-${j.operation.operationId}`;
    const lost = rpc.request(TrackerRpc.RecordSubmitted, j, 2_000, { messageId });
    await waitFor('the request to wait on the classic queue', async () => ((await queueInfo('tracker.requests'))?.messageCount === 1 ? true : undefined), 5_000);
    // What a broker restart does to a non-persistent request.
    const ch = await admin.createChannel();
    await ch.purgeQueue(`${t.prefix}.tracker.requests`);
    await ch.close();
    const error = await lost.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(RpcErrorCode.Timeout);

    tracker = await t.startTracker();
    const first = await rpc.request(TrackerRpc.RecordSubmitted, j, 20_000, { messageId });
    const again = await rpc.request(TrackerRpc.RecordSubmitted, j, 20_000, { messageId });
    expect(first).toMatchObject({ id: j.operation.operationId, status: 'Submitted' });
    expect(again).toEqual(first);
    const [{ n }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tracker.async_operation WHERE id = $1', [j.operation.operationId]);
    expect(n).toBe(1);
  });
});
