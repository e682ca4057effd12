import { randomUUID } from 'node:crypto';
import { ExchangeRole, Headers } from '@asyncops/contracts';
import { sleep, waitFor } from '@asyncops/testing';
import type { GetMessage } from 'amqplib';
import { AmqpConnection, ConfirmedPublisher, IncomingMessage, QueueConsumer, QueueConsumerOptions } from '../src';
import { MessagingEnv, messagingEnv } from './support';

const DELIVERY_LIMIT = 3;
const QUEUES = ['qc.transient', 'qc.outage', 'qc.unknown', 'qc.no-id', 'qc.poison', 'qc.ordered', 'qc.slow', 'qc.reads', 'qc.after-ack', 'qc.after-ack-bound', 'qc.requests'];

/** The consumer against the real RabbitMQ: acks after success, bounded retries, dead-lettering, ordering, graceful stop. */
describe('QueueConsumer (real broker)', () => {
  let env: MessagingEnv;
  let connection: AmqpConnection;
  let publisher: ConfirmedPublisher;
  const deadLetters: GetMessage[] = [];

  async function consumer(name: string, pattern: string, opts: Partial<QueueConsumerOptions> & Pick<QueueConsumerOptions, 'handle'>): Promise<QueueConsumer> {
    const c = new QueueConsumer(
      connection,
      publisher,
      { queue: { name, bindings: [{ exchange: ExchangeRole.Events, pattern }] }, concurrency: 4, ...opts },
      env.logger.child(`Consumer:${name}`),
    );
    env.onTeardown(() => c.stop());
    await c.start();
    return c;
  }

  /** Dead letters seen so far for a message id (the parking queue is drained into `deadLetters`). */
  async function deadLettered(messageId: string): Promise<GetMessage[]> {
    deadLetters.push(...(await env.broker.drain('dead-letter')));
    return deadLetters.filter((m) => m.properties.messageId === messageId);
  }

  beforeAll(async () => {
    env = await messagingEnv('consumer');
    connection = await env.connect('consumer', DELIVERY_LIMIT);
    publisher = env.publisher(connection, 'consumer-test');
  });

  afterAll(async () => {
    await env?.teardown(QUEUES);
  });

  it('retries a transient failure in place: the attempt does not count, the message is handled once, nothing is dead-lettered', async () => {
    const attempts: IncomingMessage[] = [];
    const handled: string[] = [];
    await consumer('qc.transient', 'transient.#', {
      backoff: { baseMs: 10, maxMs: 50 },
      handle: async (m) => {
        attempts.push(m);
        // More transient failures than the delivery limit allows attempts.
        if (attempts.filter((a) => a.messageId === m.messageId).length <= DELIVERY_LIMIT * 2) {
          throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
        }
        handled.push(m.messageId);
      },
    });
    const messageId = await env.broker.publish('transient.work', { operationId: randomUUID(), n: 1 });

    await waitFor('handled after the transient failures', async () => handled.length === 1, 15_000);
    await sleep(300);
    expect(handled).toEqual([messageId]);
    expect(attempts).toHaveLength(DELIVERY_LIMIT * 2 + 1);
    expect(attempts.every((a) => a.messageId === messageId && a.attempt === 1 && !a.isFinalAttempt)).toBe(true);
    expect(await env.broker.messageCount('qc.transient')).toBe(0);
    expect(await deadLettered(messageId)).toEqual([]);
  });

  it('pauses every handler while the probe fails and resumes by itself when it answers', async () => {
    let down = true;
    let probes = 0;
    const runs: Array<{ id: string; down: boolean }> = [];
    const handled: string[] = [];
    const c = await consumer('qc.outage', 'outage.#', {
      backoff: { baseMs: 20, maxMs: 100 },
      probe: async () => {
        probes++;
        if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
      handle: async (m) => {
        runs.push({ id: m.messageId, down });
        if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        handled.push(m.messageId);
      },
    });
    const ids = [await env.broker.publish('outage.work', { n: 1 }), await env.broker.publish('outage.work', { n: 2 })];
    await waitFor('the outage noticed and probed', async () => probes >= 5, 10_000);
    const runsWhileDown = runs.length;
    await sleep(300);
    // Paused: the probe is retried, the handlers are not.
    expect(runs.length).toBe(runsWhileDown);
    expect(runsWhileDown).toBeLessThanOrEqual(2);

    down = false;
    await waitFor('both handled after the outage', async () => handled.length === 2, 10_000);
    expect(handled.sort()).toEqual([...ids].sort());
    expect(c.stats()).toMatchObject({ processed: 2, deadLettered: 0 });
    expect(c.stats().pauses).toBeGreaterThanOrEqual(1);
    expect(await env.broker.messageCount('qc.outage')).toBe(0);
    for (const id of ids) expect(await deadLettered(id)).toEqual([]);
  });

  it('counts an unknown failure as an attempt and redelivers it', async () => {
    const attempts: number[] = [];
    await consumer('qc.unknown', 'unknown.#', {
      handle: async (m) => {
        attempts.push(m.attempt);
        if (attempts.length === 1) throw new Error('inventory service answered 500');
      },
    });
    const messageId = await env.broker.publish('unknown.work', { n: 1 });
    await waitFor('handled on the second attempt', async () => attempts.length === 2, 15_000);
    expect(attempts).toEqual([1, 2]);
    expect(await deadLettered(messageId)).toEqual([]);
  });

  it('dead-letters a message without a messageId at once instead of guessing an id', async () => {
    const handled: unknown[] = [];
    await consumer('qc.no-id', 'no-id.#', { handle: async (m) => void handled.push(m.body) });
    const operationId = randomUUID();
    env.broker.channel.publish(env.broker.exchange('events'), 'no-id.work', Buffer.from(JSON.stringify({ operationId })), { persistent: true, headers: { [Headers.OperationId]: operationId } });
    await env.broker.channel.waitForConfirms();

    const letter = await waitFor('the message parked', async () => {
      deadLetters.push(...(await env.broker.drain('dead-letter')));
      return deadLetters.find((m) => m.properties.headers?.[Headers.OperationId] === operationId);
    }, 10_000);
    expect(handled).toEqual([]);
    expect(String(letter.properties.headers?.[Headers.LastError])).toContain('no messageId');
    expect(letter.properties.headers?.[Headers.OriginalRoutingKey]).toBe('no-id.work');
    expect(await env.broker.messageCount('qc.no-id')).toBe(0);
  });

  it(`gives up after exactly ${DELIVERY_LIMIT} attempts and parks the message in the dead-letter queue with the error`, async () => {
    const attempts: number[] = [];
    const gaveUp: string[] = [];
    await consumer('qc.poison', 'poison.#', {
      handle: async (m) => {
        attempts.push(m.attempt);
        throw new Error('inventory service rejected the batch');
      },
      onGiveUp: async (m, reason) => void gaveUp.push(`${m.messageId}: ${reason}`),
    });
    const operationId = randomUUID();
    const messageId = await env.broker.publish('poison.work', { operationId, poison: true });

    const [letter] = await waitFor('message dead-lettered', async () => {
      const found = await deadLettered(messageId);
      return found.length ? found : undefined;
    }, 20_000);
    await sleep(500); // no further attempt may follow

    expect(attempts).toEqual([1, 2, 3]);
    expect(await deadLettered(messageId)).toHaveLength(1);
    expect(await env.broker.messageCount('qc.poison')).toBe(0);
    const headers = letter.properties.headers ?? {};
    expect(headers[Headers.LastError]).toBe(`inventory service rejected the batch (after ${DELIVERY_LIMIT} attempts)`);
    expect(headers[Headers.OriginalQueue]).toBe(`${env.prefix}.qc.poison`);
    expect(headers[Headers.OriginalRoutingKey]).toBe('poison.work');
    expect(headers[Headers.OperationId]).toBe(operationId);
    expect(JSON.parse(letter.content.toString('utf8'))).toEqual({ operationId, poison: true });
    expect(gaveUp).toEqual([`${messageId}: inventory service rejected the batch (after ${DELIVERY_LIMIT} attempts)`]);
  });

  it('answers a failing read after one attempt from a classic queue of reads, parking nothing', async () => {
    const attempts: number[] = [];
    const gaveUp: string[] = [];
    await consumer('qc.reads', 'reads.#', {
      queue: { name: 'qc.reads', bindings: [{ exchange: ExchangeRole.Events, pattern: 'reads.#' }], requests: true, reads: true },
      handle: async (m) => {
        attempts.push(m.attempt);
        throw new Error('inventory service answered 500');
      },
      onGiveUp: async (m, reason) => void gaveUp.push(`${m.messageId}: ${reason}`),
    });
    // A classic queue: declaring it again as one is accepted (a quorum queue would refuse it).
    const ch = await env.broker.connection.createChannel();
    await ch.assertQueue(`${env.prefix}.qc.reads`, { durable: true, arguments: { 'x-queue-type': 'classic' } });
    await ch.close();

    const messageId = await env.broker.publish('reads.search', { n: 1 });
    await waitFor('the caller answered', async () => gaveUp.length === 1, 10_000);
    await sleep(300); // no further attempt may follow
    expect(attempts).toEqual([1]);
    expect(gaveUp).toEqual([`${messageId}: inventory service answered 500 (after 1 attempts)`]);
    expect(await env.broker.messageCount('qc.reads')).toBe(0);
    expect(await deadLettered(messageId)).toEqual([]);
  });

  it('answers a failing request on a classic queue of requests after its redelivery, parking nothing', async () => {
    const finalAttempt: boolean[] = [];
    const gaveUp: string[] = [];
    await consumer('qc.requests', 'requests.#', {
      queue: { name: 'qc.requests', bindings: [{ exchange: ExchangeRole.Events, pattern: 'requests.#' }], requests: true, classic: true },
      handle: async (m) => {
        finalAttempt.push(m.isFinalAttempt);
        throw new Error('ledger answered 500');
      },
      onGiveUp: async (m, reason) => void gaveUp.push(`${m.messageId}: ${reason}`),
    });
    const ch = await env.broker.connection.createChannel();
    await ch.assertQueue(`${env.prefix}.qc.requests`, { durable: true, arguments: { 'x-queue-type': 'classic' } });
    await ch.close();

    const messageId = await env.broker.publish('requests.place', { n: 1 });
    await waitFor('the caller answered', async () => gaveUp.length === 1, 10_000);
    await sleep(300); // no further attempt may follow
    // The first delivery is requeued once; the broker's redelivered flag makes the second the last.
    expect(finalAttempt).toEqual([false, true]);
    expect(gaveUp).toEqual([`${messageId}: ledger answered 500 (after 1 attempts)`]);
    expect(await env.broker.messageCount('qc.requests')).toBe(0);
    expect(await deadLettered(messageId)).toEqual([]);
  });

  it('handles the messages of one ordering key strictly in publish order while running other keys concurrently', async () => {
    const COUNT = 200;
    const seen = new Map<string, number[]>();
    const activePerKey = new Map<string, number>();
    let active = 0;
    let maxActive = 0;
    let overlapsWithinKey = 0;
    await consumer('qc.ordered', 'ordered.#', {
      concurrency: 16,
      orderingKey: (h) => (typeof h[Headers.OperationId] === 'string' ? (h[Headers.OperationId] as string) : undefined),
      handle: async (m) => {
        const { operationId, seq } = m.body as { operationId: string; seq: number };
        const inKey = (activePerKey.get(operationId) ?? 0) + 1;
        activePerKey.set(operationId, inKey);
        if (inKey > 1) overlapsWithinKey++;
        maxActive = Math.max(maxActive, ++active);
        // Later messages often finish faster: only the lane keeps them in order.
        await sleep(seq % 3 === 0 ? 4 : Math.random() * 2);
        seen.set(operationId, [...(seen.get(operationId) ?? []), seq]);
        activePerKey.set(operationId, (activePerKey.get(operationId) ?? 1) - 1);
        active--;
      },
    });
    const ordered = randomUUID();
    const others = Array.from({ length: 20 }, () => randomUUID());
    const messages = [];
    for (let seq = 0; seq < COUNT; seq++) {
      messages.push({ routingKey: 'ordered.event', body: { operationId: ordered, seq } });
      if (seq % 10 === 0) for (const o of others) messages.push({ routingKey: 'ordered.event', body: { operationId: o, seq } });
    }
    await env.broker.publishMany(messages);

    await waitFor('all ordered messages handled', async () => (seen.get(ordered)?.length ?? 0) === COUNT && others.every((o) => seen.get(o)?.length === COUNT / 10), 30_000);
    expect(seen.get(ordered)).toEqual(Array.from({ length: COUNT }, (_, i) => i));
    for (const o of others) expect(seen.get(o)).toEqual(Array.from({ length: COUNT / 10 }, (_, i) => i * 10));
    expect(overlapsWithinKey).toBe(0);
    expect(maxActive).toBeGreaterThan(1);
  });

  it('runs work a handler hands back after the ack, in the message\'s lane; its failure is logged, not retried', async () => {
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const key = randomUUID();
    const c = await consumer('qc.after-ack', 'afterack.#', {
      orderingKey: (h) => (typeof h[Headers.OperationId] === 'string' ? (h[Headers.OperationId] as string) : undefined),
      handle: async (m) => {
        const { n } = m.body as { n: number };
        events.push(`handled ${n}`);
        if (n !== 1) return undefined;
        return async () => {
          events.push('after 1 started');
          await gate;
          events.push('after 1 done');
          throw new Error('the chained work failed');
        };
      },
    });
    await env.broker.publishMany([
      { routingKey: 'afterack.work', body: { operationId: key, n: 1 } },
      { routingKey: 'afterack.work', body: { operationId: key, n: 2 } },
    ]);
    await waitFor('work after the ack started', async () => events.includes('after 1 started'), 10_000);
    await sleep(300);
    // The next message of the same key waits for the work; the first counts as processed already.
    expect(events).toEqual(['handled 1', 'after 1 started']);
    expect(c.stats().processed).toBe(1);
    release();
    await waitFor('the second message handled', async () => events.includes('handled 2'), 10_000);
    await sleep(300);
    expect(events).toEqual(['handled 1', 'after 1 started', 'after 1 done', 'handled 2']);
    expect(c.stats()).toMatchObject({ processed: 2, deadLettered: 0 });
    expect(await env.broker.messageCount('qc.after-ack')).toBe(0);
  });

  it('runs at most `concurrency` pieces of work after acks at once; the rest wait their turn', async () => {
    let running = 0;
    let most = 0;
    let finished = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await consumer('qc.after-ack-bound', 'afterbound.#', {
      concurrency: 2,
      orderingKey: (h) => (typeof h[Headers.OperationId] === 'string' ? (h[Headers.OperationId] as string) : undefined),
      handle: async () => async () => {
        most = Math.max(most, ++running);
        await gate;
        running--;
        finished++;
      },
    });
    // Six keys: six lanes, each acked at once and handing back work that waits on the gate.
    await env.broker.publishMany(Array.from({ length: 6 }, (_, n) => ({ routingKey: 'afterbound.work', body: { operationId: randomUUID(), n } })));
    await waitFor('two pieces of work running', async () => running === 2, 10_000);
    await sleep(300);
    expect(most).toBe(2);
    expect(await env.broker.messageCount('qc.after-ack-bound')).toBe(0);
    release();
    await waitFor('all six pieces of work done', async () => finished === 6, 10_000);
    expect(most).toBe(2);
  });

  it('stop() lets an in-flight handler finish and ack before it resolves', async () => {
    let started = false;
    let finished = false;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const c = await consumer('qc.slow', 'slow.#', {
      handle: async () => {
        started = true;
        await gate;
        await sleep(100);
        finished = true;
      },
    });
    await env.broker.publish('slow.work', { n: 1 });
    await waitFor('handler started', async () => started, 10_000);

    let stopped = false;
    const stopping = c.stop().then(() => (stopped = true));
    await sleep(500);
    expect(stopped).toBe(false);
    expect(finished).toBe(false);

    release();
    await stopping;
    expect(finished).toBe(true);
    // Acked before the channel closed: nothing returns to the queue.
    await sleep(200);
    expect(await env.broker.messageCount('qc.slow')).toBe(0);

    // A stopped consumer takes nothing more.
    started = false;
    await env.broker.publish('slow.work', { n: 2 });
    await sleep(300);
    expect(started).toBe(false);
    expect(await env.broker.messageCount('qc.slow')).toBe(1);
  });
});
