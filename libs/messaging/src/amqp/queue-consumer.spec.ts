import type { Channel, ConsumeMessage } from 'amqplib';
import { ExchangeRole } from '@asyncops/contracts';
import type { ContextLogger } from '@asyncops/platform';
import type { AmqpConnection } from './connection';
import type { ConfirmedPublisher } from './publisher';
import { isFinalAttempt, QueueConsumer } from './queue-consumer';
import { Topology } from './topology';

/** A channel that records subscriptions, cancels and acks, and lets the test deliver messages. */
function fakeChannel() {
  const handlers = new Map<string, (m: ConsumeMessage | null) => void>();
  const log: string[] = [];
  let n = 0;
  const ch = {
    on: () => ch,
    prefetch: async () => undefined,
    consume: async (queue: string, handler: (m: ConsumeMessage | null) => void) => {
      const tag = `tag-${queue}`;
      handlers.set(tag, handler);
      log.push(`consume ${queue}`);
      return { consumerTag: tag };
    },
    cancel: async (tag: string) => {
      handlers.delete(tag);
      log.push(`cancel ${tag}`);
    },
    ack: (m: ConsumeMessage) => log.push(`ack ${m.properties.messageId}`),
    nack: (m: ConsumeMessage) => log.push(`nack ${m.properties.messageId}`),
  };
  const deliver = (queue: string, routingKey = 'operation.items-progressed') =>
    handlers.get(`tag-${queue}`)?.({
      content: Buffer.from('{}'),
      fields: { routingKey, deliveryTag: ++n, redelivered: false, exchange: 'x', consumerTag: `tag-${queue}` },
      properties: { messageId: `${queue}-${n}`, headers: {} },
    } as unknown as ConsumeMessage);
  return { ch: ch as unknown as Channel, log, deliver };
}

function consumerOn(ch: Channel, handle: (ids: string[]) => Promise<void>, gates: Array<() => string | undefined> = []) {
  const connection = {
    topology: new Topology('t', 5),
    on: () => undefined,
    off: () => undefined,
    isConnected: () => true,
    createChannel: async () => ch,
    declareOnConnect: async () => undefined,
    addReadinessGate: (g: () => string | undefined) => gates.push(g),
  } as unknown as AmqpConnection;
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as unknown as ContextLogger;
  return new QueueConsumer(
    connection,
    {} as ConfirmedPublisher,
    {
      queue: { name: 'tracker.events', bindings: [], partitions: { count: 2, hashHeader: 'x-operation-id' } },
      concurrency: 10,
      handle: async () => undefined,
      batch: { maxMessages: 10, maxWaitMs: 5, accepts: () => true, handle: (ms) => handle(ms.map((m) => m.messageId)) },
      sources: { prefetch: 5 },
    },
    log,
  );
}

describe('QueueConsumer with sources (partitions)', () => {
  it('gathers one batch across its sources and hands a removed source over only after its deliveries are acked', async () => {
    const { ch, log, deliver } = fakeChannel();
    let release!: () => void;
    const batches: string[][] = [];
    const consumer = consumerOn(ch, async (ids) => {
      batches.push(ids);
      await new Promise<void>((r) => (release = r));
    });
    await consumer.start();
    await consumer.addSource('t.tracker.events.p0');
    await consumer.addSource('t.tracker.events.p1');
    deliver('t.tracker.events.p0');
    deliver('t.tracker.events.p1');
    await new Promise((r) => setTimeout(r, 10));
    // One batcher: both partitions' deliveries in one batch.
    expect(batches).toEqual([['t.tracker.events.p0-1', 't.tracker.events.p1-2']]);

    let removed = false;
    const removing = consumer.removeSource('t.tracker.events.p0').then(() => (removed = true));
    await new Promise((r) => setTimeout(r, 10));
    // Subscription cancelled at once, but the lease may not go while its delivery is in a batch.
    expect(log).toContain('cancel tag-t.tracker.events.p0');
    expect(removed).toBe(false);
    release();
    await removing;
    expect(log.indexOf('ack t.tracker.events.p0-1')).toBeGreaterThan(-1);
    expect(consumer.takenSources()).toEqual(['t.tracker.events.p1']);
    // Adding a source twice subscribes once.
    await consumer.addSource('t.tracker.events.p1');
    expect(log.filter((l) => l === 'consume t.tracker.events.p1')).toHaveLength(1);
  });

  it('holds readiness until every source it holds is subscribed', async () => {
    const { ch } = fakeChannel();
    const gates: Array<() => string | undefined> = [];
    const consumer = consumerOn(ch, async () => undefined, gates);
    await consumer.start();
    expect(gates).toHaveLength(1);
    // Not connected yet when the source was given: recorded, not subscribed.
    (consumer as unknown as { channel?: Channel }).channel = undefined;
    await consumer.addSource('t.tracker.events.p0');
    expect(gates[0]()).toBe('not yet consuming t.tracker.events.p0');
    (consumer as unknown as { channel?: Channel }).channel = ch;
    await (consumer as unknown as { consumeSource(c: Channel, q: string): Promise<void> }).consumeSource(ch, 't.tracker.events.p0');
    expect(gates[0]()).toBeUndefined();
  });

  it('resolves a removal at once when the source has nothing in flight', async () => {
    const { ch, log } = fakeChannel();
    const consumer = consumerOn(ch, async () => undefined);
    await consumer.start();
    await consumer.addSource('t.tracker.events.p0');
    await consumer.removeSource('t.tracker.events.p0');
    expect(log).toEqual(['consume t.tracker.events.p0', 'cancel tag-t.tracker.events.p0']);
    expect(consumer.takenSources()).toEqual([]);
  });
});

const delivery = (redelivered: boolean) => ({ fields: { redelivered } }) as Pick<ConsumeMessage, 'fields'>;
const bindings = [{ exchange: ExchangeRole.Commands, pattern: 'tracker.rpc.*' }];

describe('isFinalAttempt', () => {
  it('counts the deliveries of a quorum queue up to its delivery limit', () => {
    const queue = { name: 'tracker.events', bindings };
    expect(isFinalAttempt(queue, delivery(true), 3, 4)).toBe(false);
    expect(isFinalAttempt(queue, delivery(true), 4, 4)).toBe(true);
  });

  it('makes every delivery of a read its last attempt', () => {
    expect(isFinalAttempt({ name: 'tracker.reads', bindings, requests: true, reads: true }, delivery(false), 1, 4)).toBe(true);
  });

  it('gives a changing request on a classic queue one more attempt, and answers its redelivery with the failure', () => {
    // Classic queues set no x-delivery-count: the attempt number stays 1 however often it is requeued.
    const queue = { name: 'tracker.requests', bindings, requests: true, classic: true };
    expect(isFinalAttempt(queue, delivery(false), 1, 4)).toBe(false);
    expect(isFinalAttempt(queue, delivery(true), 1, 4)).toBe(true);
  });
});
