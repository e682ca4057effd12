import type { Channel, ConsumeMessage } from 'amqplib';
import { JsonLogger } from '@asyncops/platform';
import { AmqpConnection } from './connection';
import { ConfirmedPublisher } from './publisher';
import { IncomingMessage, QueueConsumer } from './queue-consumer';

/** A connection whose one channel hands the test the consumer's delivery callback. */
function fakeBroker() {
  let deliver: (raw: ConsumeMessage) => void = () => undefined;
  const acked: string[] = [];
  const channel = {
    on: () => undefined,
    prefetch: async () => undefined,
    consume: async (_q: string, cb: (raw: ConsumeMessage) => void) => {
      deliver = cb;
      return { consumerTag: 'tag' };
    },
    ack: (raw: ConsumeMessage) => void acked.push(raw.properties.messageId as string),
    nack: () => undefined,
    cancel: async () => undefined,
    close: async () => undefined,
  } as unknown as Channel;
  const connection = {
    on: () => undefined,
    off: () => undefined,
    isConnected: () => true,
    createChannel: async () => channel,
    topology: { deliveryLimit: 5, replaceIncompatibleRequestQueue: async () => undefined, assertQueue: async () => 'q' },
  } as unknown as AmqpConnection;
  let n = 0;
  const send = () => {
    const id = `m-${++n}`;
    deliver({ fields: { routingKey: 'operation.started' }, properties: { messageId: id, headers: {} }, content: Buffer.from('{}') } as unknown as ConsumeMessage);
  };
  return { connection, send, acked };
}

async function batchConsumer(maxMessages: number, maxWaitMs: number) {
  const broker = fakeBroker();
  const batches: string[][] = [];
  const consumer = new QueueConsumer(
    broker.connection,
    {} as ConfirmedPublisher,
    {
      queue: { name: 'tracker.events', bindings: [] } as never,
      concurrency: 100,
      handle: async () => undefined,
      batch: { maxMessages, maxWaitMs, accepts: () => true, handle: async (ms: IncomingMessage[]) => void batches.push(ms.map((m) => m.messageId)) },
    },
    new JsonLogger('test', 'error', () => undefined).child('QueueConsumer'),
  );
  await consumer.start();
  return { ...broker, batches, consumer };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const until = async (done: () => boolean) => {
  for (let i = 0; i < 1000 && !done(); i++) await turn();
};

describe('QueueConsumer micro-batching', () => {
  it('runs a lone delivery at once, not after the wait window', async () => {
    const { send, batches, acked, consumer } = await batchConsumer(100, 60_000);
    const started = Date.now();
    send();
    await until(() => acked.length === 1);
    expect(batches).toEqual([['m-1']]);
    expect(Date.now() - started).toBeLessThan(1000);
    await consumer.stop();
  });

  it('keeps gathering while deliveries keep arriving, turn after turn', async () => {
    const { send, batches, acked, consumer } = await batchConsumer(100, 60_000);
    send();
    send();
    await turn();
    send();
    await turn();
    send();
    await until(() => acked.length === 4);
    expect(batches).toEqual([['m-1', 'm-2', 'm-3', 'm-4']]);
    await consumer.stop();
  });

  it('runs a full batch without waiting, and the rest as the next batch', async () => {
    const { send, batches, acked, consumer } = await batchConsumer(2, 60_000);
    send();
    send();
    send();
    await until(() => acked.length === 3);
    expect(batches).toEqual([['m-1', 'm-2'], ['m-3']]);
    await consumer.stop();
  });

  it('stops gathering at the wait window even while deliveries keep coming', async () => {
    const { send, batches, acked, consumer } = await batchConsumer(100_000, 5);
    const started = Date.now();
    send();
    while (Date.now() - started < 30) {
      send();
      await turn();
    }
    await until(() => acked.length === batches.flat().length && batches.flat().length > 0);
    // Had it kept gathering, everything sent would be one batch, run only once sending stopped.
    expect(batches.length).toBeGreaterThan(1);
    await consumer.stop();
  });
});
