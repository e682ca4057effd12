import type { ContextLogger } from '@asyncops/platform';
import { AmqpConnection } from './connection';
import { QueueConsumer } from './queue-consumer';
import { QueueSpec } from './topology';

/** How often a retired queue is looked at until it is gone. */
export const RETIRED_QUEUE_CHECK_MS = 10_000;

/**
 * Drains the queue a replacement took over (`QueueSpec.replaces`), e.g. a quorum request queue
 * whose requests now go to a classic one: it is unbound (the replacement is bound already), its
 * remaining messages are consumed by the same handlers, and once it is empty and nobody consumes
 * it (replicas of the older deployment may, until they stop) it is deleted. Quorum queues refuse
 * a delete if-empty, so the delete follows an empty, unused check with this process's own
 * consumer stopped; a message that still reached it in between could only come from a binding an
 * older replica re-declared, and a request lost that way is answered to its caller as a timeout.
 */
export class RetiredQueueDrain {
  private consumer?: QueueConsumer;
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;
  private stopped = false;
  // After a reconnect the replacement's consumer declares and binds its queue again first.
  private readonly onConnected = () => this.schedule(1000);

  constructor(
    private readonly connection: AmqpConnection,
    private readonly replacement: QueueSpec,
    /** A consumer of the retired queue with the replacement's handlers (not started). */
    private readonly consumerOf: (retired: QueueSpec) => QueueConsumer,
    private readonly log: ContextLogger,
    private readonly checkMs = RETIRED_QUEUE_CHECK_MS,
  ) {}

  /** The retired queue as its older deployment declared it, without bindings (a request queue). */
  get retired(): QueueSpec {
    return { name: this.replacement.replaces as string, bindings: [], requests: true };
  }

  async start(): Promise<void> {
    if (!this.replacement.replaces) return;
    this.connection.on('connected', this.onConnected);
    if (this.connection.isConnected()) await this.check(true);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(false), ms);
    this.timer.unref();
  }

  private check(unbind: boolean): Promise<void> {
    this.checking ??= this.inspect(unbind)
      .catch((e: Error) => {
        this.log.warn({ msg: 'retired queue not checked', queue: this.retired.name, error: e.message });
        this.schedule(this.checkMs);
      })
      .finally(() => {
        this.checking = undefined;
      });
    return this.checking;
  }

  private async inspect(unbind: boolean): Promise<void> {
    if (this.stopped) return;
    const topology = this.connection.topology;
    const open = () => this.connection.createChannel();
    const name = this.retired.name;
    // Unbound on every check: an older replica that reconnected may have bound it again.
    const exists = await topology.unbindRetired(open, name, this.replacement.bindings);
    if (!exists) return this.done();
    let info = await topology.queueExists(open, topology.queue(name));
    if (!info) return this.done();
    if (info.messageCount > 0) {
      if (!this.consumer) {
        this.log.info({ msg: 'draining the retired queue', event: 'retired-queue-draining', queue: name, messages: info.messageCount, replacement: this.replacement.name });
        this.consumer = this.consumerOf(this.retired);
        await this.consumer.start();
      }
      return this.schedule(this.checkMs);
    }
    if (this.consumer) {
      await this.consumer.stop();
      this.consumer = undefined;
      info = await topology.queueExists(open, topology.queue(name));
      if (!info) return this.done();
    }
    if (info.messageCount === 0 && info.consumerCount === 0) {
      await topology.deleteQueue(open, topology.queue(name));
      this.log.info({ msg: 'retired queue drained and deleted', event: 'retired-queue-deleted', queue: name, replacement: this.replacement.name });
      return this.done();
    }
    if (unbind) this.log.info({ msg: 'retired queue still consumed elsewhere', queue: name, consumers: info.consumerCount });
    this.schedule(this.checkMs);
  }

  private done(): void {
    this.connection.off('connected', this.onConnected);
    if (this.timer) clearTimeout(this.timer);
  }

  /** Whether this process consumes the retired queue now. */
  get draining(): boolean {
    return this.consumer !== undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.done();
    await this.checking?.catch(() => undefined);
    await this.consumer?.stop();
    this.consumer = undefined;
  }
}
