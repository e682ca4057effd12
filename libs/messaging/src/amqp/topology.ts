import type { Channel } from 'amqplib';
import { ExchangeRole } from '@asyncops/contracts';

/** What to do when the broker lacks the exchange type partitioned queues need. */
export const MISSING_HASH_PLUGIN =
  'RabbitMQ lacks the x-consistent-hash exchange type: enable it with `rabbitmq-plugins enable rabbitmq_consistent_hash_exchange` (docker-compose.yml mounts deploy/rabbitmq/enabled_plugins)';

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
  /**
   * Partitioned by a header: the bindings lead to a consistent-hash exchange (RabbitMQ plugin
   * `rabbitmq_consistent_hash_exchange`) that routes every message with the same `hashHeader`
   * value to the same one of `count` quorum queues (`<name>.p<i>`, single active consumer).
   * Consumers take a disjoint share of the partitions each (see PartitionCoordinator). The
   * queue of the name itself is what an unpartitioned deployment declared: it is unbound and
   * drained (see `retireUnpartitioned`).
   */
  partitions?: { count: number; hashHeader: string };
  /**
   * A queue of request/reply calls that change something (with `requests`), on a classic queue:
   * requests are non-persistent and expire with their caller's timeout, so a replicated log buys
   * them nothing. A request lost with the broker is answered to its caller as a timeout, and its
   * retry under the same message id is answered from the reply store if the first run committed.
   * Classic queues count no deliveries: a redelivered request is its last attempt (a failure then
   * answers the caller with the error), and one whose consumer died is bounded by its expiry.
   */
  classic?: boolean;
  /**
   * The queue this one replaced under the same bindings (e.g. a quorum request queue of an older
   * deployment; a queue's type cannot change in place): it is unbound, consumed until empty and
   * deleted once empty and unused (see RetiredQueueDrain), so a rolling deploy strands nothing.
   */
  replaces?: string;
}

/** Points on the hash ring per partition queue: one point each would split the ring very unevenly. */
const HASH_RING_WEIGHT = '20';

/**
 * The broker layout, declared by the code on every (re)connect: topic exchanges for commands and
 * events, one durable quorum queue per consumer with a bounded delivery limit (a classic queue for
 * request/reply calls), and a fanout
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

  /** The consistent-hash exchange of a partitioned queue. */
  hashExchange(name: string): string {
    return `${this.queue(name)}.hash`;
  }

  /** The physical queue of one partition of a partitioned queue. */
  partitionQueue(name: string, partition: number): string {
    return `${this.queue(name)}.p${partition}`;
  }

  /**
   * Declares a partitioned queue: the hash exchange bound from the spec's exchanges, and one
   * quorum queue per partition with a single active consumer, so the broker itself never lets two
   * consumers take one partition at once (a replica's subscription waits while another's is active).
   */
  async assertPartitions(ch: Channel, spec: QueueSpec): Promise<string[]> {
    const parts = spec.partitions;
    if (!parts) throw new Error(`queue ${spec.name} is not partitioned`);
    const hash = this.hashExchange(spec.name);
    await ch.assertExchange(hash, 'x-consistent-hash', { durable: true, arguments: { 'hash-header': parts.hashHeader } }).catch((err: Error) => {
      // The broker closes the channel with "invalid exchange type"; say what the operator must do.
      if (/exchange type/i.test(err.message)) throw new Error(`${MISSING_HASH_PLUGIN} (${err.message})`);
      throw err;
    });
    const args: Record<string, unknown> = { 'x-queue-type': 'quorum', 'x-delivery-limit': this.deliveryLimit, 'x-single-active-consumer': true };
    if (spec.deadLetter !== false) args['x-dead-letter-exchange'] = this.exchange(ExchangeRole.DeadLetter);
    const queues: string[] = [];
    for (let p = 0; p < parts.count; p++) {
      const q = this.partitionQueue(spec.name, p);
      await ch.assertQueue(q, { durable: true, arguments: args });
      await ch.bindQueue(q, hash, HASH_RING_WEIGHT);
      queues.push(q);
    }
    // Bound only once every partition is: a message reaching the hash exchange earlier could be unroutable.
    for (const b of spec.bindings) await ch.bindExchange(hash, this.exchange(b.exchange), b.pattern);
    return queues;
  }

  /**
   * Unbinds the queue an unpartitioned deployment declared under the spec's name (after the hash
   * exchange is bound, so no message goes unrouted in between; one routed to both meanwhile is
   * deduplicated by its id). Returns whether that queue exists: its messages must still be drained.
   */
  async retireUnpartitioned(openChannel: () => Promise<Channel>, spec: QueueSpec): Promise<boolean> {
    return this.unbindRetired(openChannel, spec.name, spec.bindings);
  }

  /** A passive check on a throwaway channel (a missing queue closes the channel it is asked on). */
  async queueExists(openChannel: () => Promise<Channel>, name: string): Promise<{ messageCount: number; consumerCount: number } | undefined> {
    const probe = await openChannel();
    probe.on('error', () => undefined);
    try {
      const ok = await probe.checkQueue(name);
      return { messageCount: ok.messageCount, consumerCount: ok.consumerCount };
    } catch (e) {
      if (/NOT[-_]FOUND|404/.test((e as Error).message)) return undefined;
      throw e;
    } finally {
      await probe.close().catch(() => undefined);
    }
  }

  /**
   * Deletes a queue on a throwaway channel (a refusal closes the channel it is asked on). Quorum
   * queues refuse if-empty and if-unused, so callers check emptiness and consumers first, with the
   * queue unbound: only an older replica re-binding it in between could still add a message.
   */
  async deleteQueue(openChannel: () => Promise<Channel>, name: string): Promise<void> {
    const ch = await openChannel();
    ch.on('error', () => undefined);
    try {
      await ch.deleteQueue(name);
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  async assertQueue(ch: Channel, spec: QueueSpec): Promise<string> {
    const name = this.queue(spec.name);
    if (spec.reads || spec.classic) {
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
   * Unbinds an older queue from the bindings its replacement took over (after the replacement is
   * bound, so no request goes unrouted in between; one routed to both meanwhile is answered once
   * from the reply store). Returns whether that queue exists: its requests must still be drained.
   */
  async unbindRetired(openChannel: () => Promise<Channel>, name: string, bindings: QueueBinding[]): Promise<boolean> {
    if (!(await this.queueExists(openChannel, this.queue(name)))) return false;
    const ch = await openChannel();
    ch.on('error', () => undefined);
    try {
      for (const b of bindings) await ch.unbindQueue(this.queue(name), this.exchange(b.exchange), b.pattern);
    } finally {
      await ch.close().catch(() => undefined);
    }
    return true;
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
