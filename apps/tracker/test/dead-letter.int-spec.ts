import { ExchangeRole, Headers, OperationEvents } from '@asyncops/contracts';
import { AmqpConnection, ConfirmedPublisher, QueueConsumer, Topology } from '@asyncops/messaging';
import { JsonLogger } from '@asyncops/platform';
import { TEST_AMQP_URL, waitFor } from '@asyncops/testing';
import { newId, now, operation, submitted, TrackerEnv, trackerEnv, waitForStatus } from './support';

/**
 * A worker of some producer service whose handler always throws for one message: the message
 * must reach the dead-letter queue after the delivery limit, the operation it names must end in
 * Failure with the handler's error, and the worker's other messages must keep flowing.
 */
describe('poison messages (real broker and database)', () => {
  let t: TrackerEnv;
  let connection: AmqpConnection;
  let worker: QueueConsumer;
  const attempts = new Map<string, number>();
  const handled: string[] = [];

  beforeAll(async () => {
    t = await trackerEnv('poison');
    await t.startTracker();
    const logger = new JsonLogger('test-worker', 'error');
    connection = new AmqpConnection(TEST_AMQP_URL, new Topology(t.prefix, 3), logger.child('Broker'), 'test-worker');
    await connection.start();
    const publisher = new ConfirmedPublisher(connection, 'test-worker', logger.child('Publisher'));
    worker = new QueueConsumer(
      connection,
      publisher,
      {
        queue: { name: 'test-worker.commands', bindings: [{ exchange: ExchangeRole.Commands, pattern: 'test-producer.cmd.#' }] },
        concurrency: 4,
        handle: async (m) => {
          const { operationId, poison } = m.body as { operationId: string; poison: boolean };
          attempts.set(operationId, (attempts.get(operationId) ?? 0) + 1);
          if (poison) throw new Error('inventory service rejected the batch');
          handled.push(operationId);
        },
      },
      logger.child('Worker'),
    );
    await worker.start();
  });

  afterAll(async () => {
    await worker.stop();
    await connection.close();
    await t.broker.deleteTopology(['test-worker.commands']);
    await t.teardown();
  });

  it('dead-letters after the delivery limit, fails the operation with the reason, and keeps going', async () => {
    const poisoned = newId();
    const healthy = [newId(), newId(), newId()];
    for (const id of [poisoned, ...healthy]) {
      await t.broker.publish(OperationEvents.Submitted, submitted(id));
      await t.broker.publish(OperationEvents.Started, { operationId: id, occurredAt: now() });
    }
    const producer = { [Headers.Producer]: 'test-producer' };
    await t.broker.publish('test-producer.cmd.place', { operationId: poisoned, poison: true }, { exchange: 'commands', headers: producer });
    for (const id of healthy) await t.broker.publish('test-producer.cmd.place', { operationId: id, poison: false }, { exchange: 'commands', headers: producer });

    const failed = await waitForStatus(t.db, poisoned, 'Failure');
    expect(failed.message).toContain('inventory service rejected the batch');
    expect(failed.message).toContain('test-producer.cmd.place');
    expect(attempts.get(poisoned)).toBe(3);
    await waitFor('healthy messages handled', async () => healthy.every((id) => handled.includes(id)));

    const letters = await t.broker.drain('dead-letter');
    const letter = letters.find((m) => m.properties.headers?.[Headers.OperationId] === poisoned);
    expect(letter).toBeDefined();
    expect(String(letter?.properties.headers?.[Headers.LastError])).toContain('after 3 attempts');
    expect(JSON.parse(letter!.content.toString())).toEqual({ operationId: poisoned, poison: true });
    expect(await t.broker.messageCount('test-worker.commands')).toBe(0);
  });

  it("fails an operation only for its own producer's work: RPC requests, other producers' events and commands leave it unchanged", async () => {
    const id = newId();
    await t.broker.publish(OperationEvents.Submitted, submitted(id));
    await t.broker.publish(OperationEvents.Started, { operationId: id, occurredAt: now() });
    await waitForStatus(t.db, id, 'InProgress');
    const tracker = t.trackers[0];
    const before = { notWork: count(tracker.logs, 'dead-letter-not-work'), ignored: count(tracker.logs, 'dead-letter-ignored') };

    // As the messaging layer parks them: the original routing key and the handler's error in headers.
    const park = (routingKey: string, headers: Record<string, unknown>) =>
      t.broker.channel.publish(t.broker.exchange('dead-letter'), routingKey, Buffer.from(JSON.stringify({ operationId: id })), {
        messageId: newId(),
        headers: { [Headers.OperationId]: id, [Headers.OriginalRoutingKey]: routingKey, [Headers.LastError]: 'expired', ...headers },
      });
    park('tracker.rpc.get-operation', { [Headers.Producer]: 'gateway' });
    park('order-placement.rpc.place-cart', { [Headers.Producer]: 'gateway' });
    park('tracker.operation.changed', { [Headers.Producer]: 'tracker' });
    park(OperationEvents.Finished, {});
    park(OperationEvents.Finished, { [Headers.Producer]: 'someone-else' });
    park('someone-else.cmd.place', { [Headers.Producer]: 'someone-else' });
    park(OperationEvents.Finished, { [Headers.Producer]: 'test-producer', 'x-owner-id': 'client-b' });
    await t.broker.channel.waitForConfirms();

    await waitFor('the watcher to look at every letter', async () =>
      count(tracker.logs, 'dead-letter-not-work') - before.notWork === 4 && count(tracker.logs, 'dead-letter-ignored') - before.ignored === 3,
    );
    const row = await operation(t.db, id);
    expect(row).toMatchObject({ status: 'InProgress', message: null });
    await t.broker.drain('dead-letter');
  });
});

function count(logs: Array<{ event?: string }>, event: string): number {
  return logs.filter((l) => l.event === event).length;
}
