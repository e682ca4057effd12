import type { Channel } from 'amqplib';
import { ExchangeRole } from '@asyncops/contracts';

export interface QueueBinding {
  exchange: ExchangeRole;
  pattern: string;
}

export interface QueueSpec {
  /** Queue name without the deployment prefix, e.g. `tracker.events`. */
  name: string;
  bindings: QueueBinding[];
  /**
   * Whether rejected messages go to the dead-letter exchange. Only the queues that read the
   * dead-letter exchange themselves turn this off, so a failing watcher cannot loop.
   */
  deadLetter?: boolean;
  /**
   * A queue of request/reply calls only. Requests are never dead-lettered: one that expires
   * (its caller gave up) or fails its last attempt is dropped, and the caller already has its
   * answer. A queue declared before with other arguments is re-created (it only ever holds
   * requests nobody waits for any more).
   */
  requests?: boolean;
  /**
   * A queue of read-only request/reply calls (with `requests`): a classic queue instead of a
   * quorum queue. Its requests are non-persistent and worthless once their caller gave up, so
   * they need no replicated log: a request lost with the broker is answered to its caller as a
   * timeout, and reads are safe to ask again. Classic queues count no deliveries, so a read is
   * tried once (a redelivery after a consumer died is bounded by the request's expiry).
   */
  reads?: boolean;
}

/**
 * The broker layout, declared by the code on every (re)connect: topic exchanges for commands and
 * events, one durable quorum queue per consumer with a bounded delivery limit (a classic queue for
 * read-only requests), and a fanout
 * dead-letter exchange whose parking queue keeps every poison message for operators.
 */
export class Topology {
  constructor(
    readonly prefix: string,
    readonly deliveryLimit: number,
  ) {}

  exchange(role: ExchangeRole): string {
    return `${this.prefix}.${role}`;
  }

  queue(name: string): string {
    return `${this.prefix}.${name}`;
  }

  get deadLetterQueue(): string {
    return this.queue('dead-letter');
  }

  async assertBase(ch: Channel): Promise<void> {
    await ch.assertExchange(this.exchange(ExchangeRole.Commands), 'topic', { durable: true });
    await ch.assertExchange(this.exchange(ExchangeRole.Events), 'topic', { durable: true });
    await ch.assertExchange(this.exchange(ExchangeRole.DeadLetter), 'fanout', { durable: true });
    await ch.assertQueue(this.deadLetterQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await ch.bindQueue(this.deadLetterQueue, this.exchange(ExchangeRole.DeadLetter), '');
  }

  async assertQueue(ch: Channel, spec: QueueSpec): Promise<string> {
    const name = this.queue(spec.name);
    if (spec.reads) {
      // Durable in name only: the broker keeps the declaration across restarts, never the requests.
      await ch.assertQueue(name, { durable: true, arguments: { 'x-queue-type': 'classic' } });
      for (const b of spec.bindings) await ch.bindQueue(name, this.exchange(b.exchange), b.pattern);
      return name;
    }
    const args: Record<string, unknown> = { 'x-queue-type': 'quorum', 'x-delivery-limit': this.deliveryLimit };
    if (spec.deadLetter !== false && !spec.requests) args['x-dead-letter-exchange'] = this.exchange(ExchangeRole.DeadLetter);
    await ch.assertQueue(name, { durable: true, arguments: args });
    for (const b of spec.bindings) await ch.bindQueue(name, this.exchange(b.exchange), b.pattern);
    return name;
  }

  /**
   * For request queues: declares the queue on a throwaway channel and, when an older declaration
   * with other arguments is in the way (PRECONDITION_FAILED closes the channel), deletes it first.
   */
  async replaceIncompatibleRequestQueue(openChannel: () => Promise<Channel>, spec: QueueSpec): Promise<void> {
    if (!spec.requests) return;
    const probe = await openChannel();
    probe.on('error', () => undefined);
    try {
      await this.assertQueue(probe, spec);
      await probe.close().catch(() => undefined);
      return;
    } catch (e) {
      if (!/PRECONDITION[-_]FAILED/.test((e as Error).message)) throw e;
    }
    const ch = await openChannel();
    ch.on('error', () => undefined);
    try {
      await ch.deleteQueue(this.queue(spec.name));
    } finally {
      await ch.close().catch(() => undefined);
    }
  }
}
