import { ExchangeRole, Headers, OperationEvents } from '@asyncops/contracts';
import { AmqpConnection, ConfirmedPublisher, QueueConsumer, Topology } from '@asyncops/messaging';
import { JsonLogger } from '@asyncops/platform';
import { TEST_AMQP_URL, waitFor } from '@asyncops/testing';
import { newId, now, submitted, TrackerEnv, trackerEnv, waitForStatus } from './support';

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
        queue: { name: 'test-worker.commands', bindings: [{ exchange: ExchangeRole.Commands, pattern: 'work.#' }] },
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
    await t.broker.publish('work.place', { operationId: poisoned, poison: true }, { exchange: 'commands' });
    for (const id of healthy) await t.broker.publish('work.place', { operationId: id, poison: false }, { exchange: 'commands' });

    const failed = await waitForStatus(t.db, poisoned, 'Failure');
    expect(failed.message).toContain('inventory service rejected the batch');
    expect(failed.message).toContain('work.place');
    expect(attempts.get(poisoned)).toBe(3);
    await waitFor('healthy messages handled', async () => healthy.every((id) => handled.includes(id)));

    const letters = await t.broker.drain('dead-letter');
    const letter = letters.find((m) => m.properties.headers?.[Headers.OperationId] === poisoned);
    expect(letter).toBeDefined();
    expect(String(letter?.properties.headers?.[Headers.LastError])).toContain('after 3 attempts');
    expect(JSON.parse(letter!.content.toString())).toEqual({ operationId: poisoned, poison: true });
    expect(await t.broker.messageCount('test-worker.commands')).toBe(0);
  });
});
