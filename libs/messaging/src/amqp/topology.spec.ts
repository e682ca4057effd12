import type { Channel } from 'amqplib';
import { ExchangeRole } from '@asyncops/contracts';
import { Topology } from './topology';

type Call = [method: string, ...args: unknown[]];

/** Records every declaration the topology makes, in order, like a channel that accepts all. */
function recordingChannel() {
  const calls: Call[] = [];
  const record =
    (method: string) =>
    async (...args: unknown[]) => {
      calls.push([method, ...args]);
      return method === 'assertQueue' ? { queue: args[0], messageCount: 0, consumerCount: 0 } : {};
    };
  const ch = { assertExchange: record('assertExchange'), assertQueue: record('assertQueue'), bindQueue: record('bindQueue'), bindExchange: record('bindExchange') };
  return { ch: ch as unknown as Channel, calls, of: (method: string) => calls.filter((c) => c[0] === method).map((c) => c.slice(1)) };
}

describe('Topology', () => {
  const topology = new Topology('shop-eu', 4);

  it('partitions a queue through a consistent-hash exchange on the header, bound from the events only once every partition queue is bound', async () => {
    const { ch, calls } = recordingChannel();
    const queues = await topology.assertPartitions(ch, {
      name: 'tracker.events',
      bindings: [{ exchange: ExchangeRole.Events, pattern: 'operation.#' }],
      partitions: { count: 2, hashHeader: 'x-operation-id' },
    });
    const args = { 'x-queue-type': 'quorum', 'x-delivery-limit': 4, 'x-single-active-consumer': true, 'x-dead-letter-exchange': 'shop-eu.dead-letter' };
    expect(queues).toEqual(['shop-eu.tracker.events.p0', 'shop-eu.tracker.events.p1']);
    expect(calls).toEqual([
      ['assertExchange', 'shop-eu.tracker.events.hash', 'x-consistent-hash', { durable: true, arguments: { 'hash-header': 'x-operation-id' } }],
      ['assertQueue', 'shop-eu.tracker.events.p0', { durable: true, arguments: args }],
      ['bindQueue', 'shop-eu.tracker.events.p0', 'shop-eu.tracker.events.hash', '20'],
      ['assertQueue', 'shop-eu.tracker.events.p1', { durable: true, arguments: args }],
      ['bindQueue', 'shop-eu.tracker.events.p1', 'shop-eu.tracker.events.hash', '20'],
      ['bindExchange', 'shop-eu.tracker.events.hash', 'shop-eu.events', 'operation.#'],
    ]);
  });

  it('says which plugin to enable when the broker refuses the consistent-hash exchange type', async () => {
    const { ch } = recordingChannel();
    const refused = `Channel closed by server: 503 (COMMAND-INVALID) with message "COMMAND_INVALID - invalid exchange type 'x-consistent-hash'"`;
    (ch as unknown as { assertExchange: () => Promise<never> }).assertExchange = () => Promise.reject(new Error(refused));
    const spec = { name: 'tracker.events', bindings: [{ exchange: ExchangeRole.Events, pattern: 'operation.#' }], partitions: { count: 2, hashHeader: 'x-operation-id' } };
    await expect(topology.assertPartitions(ch, spec)).rejects.toThrow(/rabbitmq-plugins enable rabbitmq_consistent_hash_exchange.*invalid exchange type/);
  });

  it('prefixes exchange and queue names with the deployment prefix', () => {
    expect(topology.prefix).toBe('shop-eu');
    expect(topology.deliveryLimit).toBe(4);
    expect(topology.exchange(ExchangeRole.Commands)).toBe('shop-eu.commands');
    expect(topology.exchange(ExchangeRole.Events)).toBe('shop-eu.events');
    expect(topology.exchange(ExchangeRole.DeadLetter)).toBe('shop-eu.dead-letter');
    expect(topology.queue('tracker.events')).toBe('shop-eu.tracker.events');
    expect(topology.deadLetterQueue).toBe('shop-eu.dead-letter');
  });

  it('declares two durable topic exchanges, a fanout dead-letter exchange and its quorum parking queue', async () => {
    const { ch, calls } = recordingChannel();
    await topology.assertBase(ch);
    expect(calls).toEqual([
      ['assertExchange', 'shop-eu.commands', 'topic', { durable: true }],
      ['assertExchange', 'shop-eu.events', 'topic', { durable: true }],
      ['assertExchange', 'shop-eu.dead-letter', 'fanout', { durable: true }],
      ['assertQueue', 'shop-eu.dead-letter', { durable: true, arguments: { 'x-queue-type': 'quorum' } }],
      ['bindQueue', 'shop-eu.dead-letter', 'shop-eu.dead-letter', ''],
    ]);
  });

  it('declares a consumer queue as a durable quorum queue with the delivery limit and the dead-letter exchange', async () => {
    const { ch, of } = recordingChannel();
    const name = await topology.assertQueue(ch, {
      name: 'tracker.events',
      bindings: [
        { exchange: ExchangeRole.Events, pattern: 'operation.*' },
        { exchange: ExchangeRole.Commands, pattern: 'tracker.rpc.*' },
      ],
    });
    expect(name).toBe('shop-eu.tracker.events');
    expect(of('assertQueue')).toEqual([
      [
        'shop-eu.tracker.events',
        { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 4, 'x-dead-letter-exchange': 'shop-eu.dead-letter' } },
      ],
    ]);
    expect(of('bindQueue')).toEqual([
      ['shop-eu.tracker.events', 'shop-eu.events', 'operation.*'],
      ['shop-eu.tracker.events', 'shop-eu.commands', 'tracker.rpc.*'],
    ]);
    expect(of('assertExchange')).toEqual([]);
  });

  it('uses its own delivery limit', async () => {
    const { ch, of } = recordingChannel();
    await new Topology('p', 17).assertQueue(ch, { name: 'q', bindings: [] });
    expect(of('assertQueue')[0][1]).toMatchObject({ arguments: { 'x-delivery-limit': 17 } });
  });

  it('declares the queue before binding it', async () => {
    const { ch, calls } = recordingChannel();
    await topology.assertQueue(ch, { name: 'q', bindings: [{ exchange: ExchangeRole.Events, pattern: '#' }] });
    expect(calls.map((c) => c[0])).toEqual(['assertQueue', 'bindQueue']);
  });

  it('leaves the dead-letter exchange off a queue declared with deadLetter: false', async () => {
    const { ch, of } = recordingChannel();
    await topology.assertQueue(ch, { name: 'tracker.dead-letters', bindings: [{ exchange: ExchangeRole.DeadLetter, pattern: '' }], deadLetter: false });
    const [[queue, options]] = of('assertQueue') as Array<[string, { durable: boolean; arguments: Record<string, unknown> }]>;
    expect(queue).toBe('shop-eu.tracker.dead-letters');
    expect(options).toEqual({ durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 4 } });
    expect('x-dead-letter-exchange' in options.arguments).toBe(false);
    expect(of('bindQueue')).toEqual([['shop-eu.tracker.dead-letters', 'shop-eu.dead-letter', '']]);
  });

  it('sets the dead-letter exchange when deadLetter is true or left out', async () => {
    for (const deadLetter of [true, undefined]) {
      const { ch, of } = recordingChannel();
      await topology.assertQueue(ch, { name: 'q', bindings: [], deadLetter });
      expect(of('assertQueue')[0][1]).toMatchObject({ arguments: { 'x-dead-letter-exchange': 'shop-eu.dead-letter' } });
      expect(of('bindQueue')).toEqual([]);
    }
  });

  it('declares a request queue without a dead-letter exchange: expired or failed requests are dropped', async () => {
    const { ch, of } = recordingChannel();
    await topology.assertQueue(ch, { name: 'tracker.rpc', bindings: [{ exchange: ExchangeRole.Commands, pattern: 'tracker.rpc.*' }], requests: true });
    expect(of('assertQueue')).toEqual([['shop-eu.tracker.rpc', { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 4 } }]]);
  });

  it('declares a queue of read-only requests as a classic queue, without a dead-letter exchange or a replicated log', async () => {
    const { ch, of } = recordingChannel();
    await topology.assertQueue(ch, { name: 'tracker.reads', bindings: [{ exchange: ExchangeRole.Commands, pattern: 'tracker.read.*' }], requests: true, reads: true });
    expect(of('assertQueue')).toEqual([['shop-eu.tracker.reads', { durable: true, arguments: { 'x-queue-type': 'classic' } }]]);
    expect(of('bindQueue')).toEqual([['shop-eu.tracker.reads', 'shop-eu.commands', 'tracker.read.*']]);
  });

  it('declares a queue of changing requests as a classic queue when asked, without a dead-letter exchange or a replicated log', async () => {
    const { ch, of } = recordingChannel();
    await topology.assertQueue(ch, { name: 'tracker.requests', bindings: [{ exchange: ExchangeRole.Commands, pattern: 'tracker.rpc.*' }], requests: true, classic: true, replaces: 'tracker.rpc' });
    expect(of('assertQueue')).toEqual([['shop-eu.tracker.requests', { durable: true, arguments: { 'x-queue-type': 'classic' } }]]);
    expect(of('bindQueue')).toEqual([['shop-eu.tracker.requests', 'shop-eu.commands', 'tracker.rpc.*']]);
  });

  it('unbinds a retired queue from the bindings its replacement took over, and touches no queue that is gone', async () => {
    const calls: string[] = [];
    let exists = true;
    const open = async () =>
      ({
        on: () => undefined,
        close: async () => undefined,
        checkQueue: async (q: string) => {
          calls.push(`check ${q}`);
          if (!exists) throw new Error('Operation failed: QueueDeclare; 404 (NOT-FOUND) no queue');
          return { queue: q, messageCount: 3, consumerCount: 1 };
        },
        unbindQueue: async (q: string, e: string, p: string) => calls.push(`unbind ${q} ${e} ${p}`),
      }) as unknown as Channel;
    const bindings = [{ exchange: ExchangeRole.Commands, pattern: 'tracker.rpc.*' }];
    await expect(topology.unbindRetired(open, 'tracker.rpc', bindings)).resolves.toBe(true);
    expect(calls).toEqual(['check shop-eu.tracker.rpc', 'unbind shop-eu.tracker.rpc shop-eu.commands tracker.rpc.*']);
    await expect(topology.queueExists(open, 'shop-eu.tracker.rpc')).resolves.toEqual({ messageCount: 3, consumerCount: 1 });

    calls.length = 0;
    exists = false;
    await expect(topology.unbindRetired(open, 'tracker.rpc', bindings)).resolves.toBe(false);
    expect(calls).toEqual(['check shop-eu.tracker.rpc']);
  });

  it('re-creates a request queue declared before with other arguments, and leaves other queues alone', async () => {
    const opened: string[] = [];
    const channel = (failing: boolean) =>
      ({
        on: () => undefined,
        close: async () => opened.push('close'),
        assertQueue: async () => {
          opened.push('assert');
          if (failing) throw new Error('Operation failed: QueueDeclare; 406 (PRECONDITION-FAILED) inequivalent arg x-dead-letter-exchange');
          return {};
        },
        bindQueue: async () => ({}),
        deleteQueue: async (q: string) => opened.push(`delete ${q}`),
      }) as unknown as Channel;
    let first = true;
    await topology.replaceIncompatibleRequestQueue(async () => {
      const ch = channel(first);
      first = false;
      return ch;
    }, { name: 'tracker.rpc', bindings: [], requests: true });
    expect(opened).toEqual(['assert', 'delete shop-eu.tracker.rpc', 'close']);

    opened.length = 0;
    await topology.replaceIncompatibleRequestQueue(async () => channel(true), { name: 'tracker.events', bindings: [] });
    expect(opened).toEqual([]);
  });
});
