import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { OperationEvents } from '@asyncops/contracts';
import { createTestDatabase, ServiceProcess, TEST_AMQP_URL, TestBroker, TestDatabase, uniquePrefix, waitFor } from '@asyncops/testing';
import { Measurement, Scenario } from '../harness';

const OPS = 100;
const PROGRESS_PER_OP = 49;
const EVENTS = OPS * (PROGRESS_PER_OP + 1);

/** `ops` operations (OPS), each submitted then progressed PROGRESS_PER_OP times, interleaved across operations. */
export function lifecycleWorkload(ops = OPS): { ids: string[]; events: number; messages: Array<{ routingKey: string; body: Record<string, unknown> }> } {
  const ids = Array.from({ length: ops }, () => randomUUID());
  const occurredAt = new Date().toISOString();
  const messages = ids.map((operationId) => ({
    routingKey: OperationEvents.Submitted as string,
    body: { operationId, occurredAt, ownerId: 'bench', jobType: 'PlaceOrder', producer: 'bench', totalJobItems: PROGRESS_PER_OP } as Record<string, unknown>,
  }));
  for (let i = 0; i < PROGRESS_PER_OP; i++) {
    for (const operationId of ids) messages.push({ routingKey: OperationEvents.ItemsProgressed, body: { operationId, occurredAt, succeeded: 1, failed: 0 } });
  }
  return { ids, events: ops * (PROGRESS_PER_OP + 1), messages };
}

/** Waits until the tracker has applied every event of the workload, exactly once each. */
export async function waitApplied(db: TestDatabase, ids: string[]): Promise<void> {
  const counted = await waitFor(
    'all events applied',
    async () => {
      const [row] = await db.query<{ n: number }>('SELECT coalesce(sum(successful_job_items), 0)::int AS n FROM tracker.async_operation WHERE id = ANY($1)', [ids]);
      return row.n >= ids.length * PROGRESS_PER_OP ? row.n : undefined;
    },
    300_000,
    5,
  );
  if (counted !== ids.length * PROGRESS_PER_OP) throw new Error(`events applied more than once: ${counted} items counted, ${ids.length * PROGRESS_PER_OP} sent`);
}

/**
 * Lifecycle events applied by the tracker per second (validated, deduplicated, applied through
 * the state machine, committed, change event written to the outbox, acked) against raw amqplib
 * publish-with-confirm + consume-with-ack of the same number of same-sized messages.
 */
export function trackerLifecycleScenario(): Scenario {
  let db: TestDatabase;
  let broker: TestBroker;
  let tracker: ServiceProcess;
  let raw: amqp.ChannelModel;
  const prefix = uniquePrefix('bench');
  const concurrency = 16;

  return {
    name: 'tracker-lifecycle-events',
    unit: 'events',
    rounds: 5,
    async setup() {
      [db, broker] = await Promise.all([createTestDatabase('bench'), TestBroker.connect(prefix)]);
      tracker = await ServiceProcess.start('tracker', { DATABASE_URL: db.url, AMQP_PREFIX: prefix, CONSUMER_CONCURRENCY: String(concurrency) });
      raw = await amqp.connect(TEST_AMQP_URL, { noDelay: true });
    },
    async system(): Promise<Measurement> {
      const { ids, messages } = lifecycleWorkload();
      const start = performance.now();
      await broker.publishMany(messages);
      await waitApplied(db, ids);
      return { units: EVENTS, ms: performance.now() - start };
    },
    async baseline(round: number): Promise<Measurement> {
      const { messages } = lifecycleWorkload();
      const queue = `${prefix}.baseline-${round + 1}`;
      const pub = await raw.createConfirmChannel();
      const sub = await raw.createChannel();
      await pub.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
      await sub.prefetch(concurrency);
      const start = performance.now();
      let consumed = 0;
      const done = new Promise<void>((resolve) => {
        void sub.consume(queue, (m) => {
          if (!m) return;
          JSON.parse(m.content.toString());
          sub.ack(m);
          if (++consumed === messages.length) resolve();
        });
      });
      for (const m of messages) pub.sendToQueue(queue, Buffer.from(JSON.stringify(m.body)), { persistent: true, messageId: randomUUID() });
      await pub.waitForConfirms();
      await done;
      const ms = performance.now() - start;
      await sub.close();
      await pub.deleteQueue(queue);
      await pub.close();
      return { units: messages.length, ms };
    },
    async teardown() {
      await tracker?.stop();
      await raw?.close().catch(() => undefined);
      await broker?.deleteTopology(['tracker.events', 'tracker.rpc', 'tracker.dead-letter-watch']);
      await broker?.close();
      await db?.drop();
    },
  };
}
