import type { Channel, ConsumeMessage } from 'amqplib';
import { ExchangeRole, Headers } from '@asyncops/contracts';
import { startMessageTimer, type ContextLogger } from '@asyncops/platform';
import { AmqpConnection } from './connection';
import { UnauthorizedSenderError } from './errors';
import { backoffDelay, BackoffPolicy, classifyFailure, DEFAULT_BACKOFF } from './failure-policy';
import { ConfirmedPublisher } from './publisher';
import { QueueSpec } from './topology';

export interface IncomingMessage {
  routingKey: string;
  messageId: string;
  body: unknown;
  headers: Record<string, unknown>;
  /** False when the body was not JSON; `body` is then undefined. */
  parsed: boolean;
  /** 1 on first delivery; grows with each redelivery of the same message. */
  attempt: number;
  isFinalAttempt: boolean;
  replyTo?: string;
  correlationId?: string;
  /** The AMQP user_id: when set, RabbitMQ has checked it is the publishing connection's user. */
  userId?: string;
}

/**
 * Handles one message. It may resolve to work to run after the message is acked: that work still
 * holds the message's ordering lane and counts as in flight (a stop waits for it), but a long run
 * of it no longer keeps a delivery unacked (the broker's consumer_timeout). Its failure is logged
 * and never affects the acked message.
 */
export type MessageHandlerFn = (message: IncomingMessage) => Promise<void | AfterAck>;
export type AfterAck = () => Promise<void>;

export interface QueueConsumerOptions {
  queue: QueueSpec;
  /** Messages processed at once by this process (also the channel's prefetch). */
  concurrency: number;
  handle: MessageHandlerFn;
  /**
   * Messages with the same key are handled one after another in arrival order by this process
   * (e.g. all events of one operation), while different keys run concurrently.
   */
  orderingKey?: (headers: Record<string, unknown>) => string | undefined;
  /** Called with the dead-letter reason when a message is given up, e.g. to answer an RPC caller. */
  onGiveUp?: (message: IncomingMessage, reason: string) => Promise<void>;
  /**
   * Checks the dependency the handlers need (e.g. `SELECT 1` on the database). After a transient
   * failure consumption pauses until the probe answers, so an outage is waited out, not retried hot.
   */
  probe?: () => Promise<void>;
  /** Backoff of transient retries and probes (default 100 ms doubling to 5 s, jittered). */
  backoff?: BackoffPolicy;
  /**
   * Micro-batching: deliveries are taken in arrival order, one batch at a time, and consecutive
   * ones the batch accepts are handled together (one transaction) and acked after it; a message it
   * does not accept runs alone through `handle`, in its place. `concurrency` is then the prefetch
   * window, and ordering needs no lanes: one batch finishes before the next starts.
   */
  batch?: BatchConsumerOptions;
  /**
   * For a partitioned queue (QueueSpec.partitions): the consumer takes the physical queues it is
   * given with `addSource` (its partitions, and an old unpartitioned queue to drain), all on one
   * channel, so one batcher gathers across them. `prefetch` is each source's own window.
   */
  sources?: { prefetch: number };
}

export interface BatchConsumerOptions {
  /** Most messages handled together. */
  maxMessages: number;
  /** How long a partial batch waits for more deliveries before it runs. */
  maxWaitMs: number;
  /** Whether the message may join a batch (it has a messageId and parsed already). */
  accepts: (message: IncomingMessage) => boolean;
  /**
   * Handles the messages together; throwing rejects all of them. A transient failure retries the
   * batch in place; any other failure handles its messages one by one through `handle`, so one
   * poison message is dead-lettered alone and the others go through.
   */
  handle: (messages: IncomingMessage[]) => Promise<void>;
}

interface Delivery {
  ch: Channel;
  raw: ConsumeMessage;
  message: IncomingMessage;
  arrivedAt: number;
  /** The physical queue it came from, for consumers of several (`sources`). */
  source?: string;
}

export interface QueueConsumerStats {
  processed: number;
  /** Handler runs that failed transiently and were retried in place (not counted as deliveries). */
  transientRetries: number;
  /** Times consumption paused because the probe did not answer. */
  pauses: number;
  deadLettered: number;
}

/**
 * Consumes one quorum queue with manual acks. A message is acked only after its handler has
 * resolved (i.e. its transaction committed). Failures are classified (`classifyFailure`):
 * transient ones (lost connection, terminated backend, deadlock…) are retried in place with capped,
 * jittered backoff and never count toward the delivery limit, and consumption pauses while the
 * probe says the dependency is down; permanent ones are dead-lettered at once; other failures are
 * requeued until the final attempt, then published to the dead-letter exchange with the error.
 * Messages without a `messageId` cannot be deduplicated and are dead-lettered at once.
 * Survives reconnects.
 */
export class QueueConsumer {
  private channel?: Channel;
  private consumerTag?: string;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly lanes = new Map<string, Promise<void>>();
  /** Work after an ack running now, and what waits for one of its `concurrency` slots. */
  private afterAckRunning = 0;
  private readonly afterAckWaiting: Array<() => void> = [];
  private processed = 0;
  private transientRetries = 0;
  private pauses = 0;
  private deadLettered = 0;
  private stopped = false;
  /** Set while the probe says the dependency is unreachable; handlers wait on it. */
  private paused?: Promise<void>;
  private readonly closedChannels = new WeakSet<Channel>();
  private readonly pending: Delivery[] = [];
  private pumping = false;
  private wake?: () => void;
  /** The physical queues taken (`sources` mode), with their consumer tags on the current channel. */
  private readonly sources = new Map<string, { tag?: string; ch?: Channel; subscribing?: Promise<void> }>();
  /** Deliveries of each source not yet acked or returned, and who waits for them to end. */
  private readonly outstanding = new Map<string, number>();
  private readonly drained = new Map<string, Array<() => void>>();
  private readonly onConnected = () => void this.subscribe().catch((e) => this.log.error({ msg: 'subscribe failed', queue: this.opts.queue.name, error: (e as Error).message }));

  constructor(
    private readonly connection: AmqpConnection,
    private readonly publisher: ConfirmedPublisher,
    private readonly opts: QueueConsumerOptions,
    private readonly log: ContextLogger,
  ) {}

  async start(): Promise<void> {
    if (this.opts.sources) {
      await this.connection.declareOnConnect((ch) => this.connection.topology.assertPartitions(ch, this.opts.queue).then(() => undefined));
      // Ready only once subscribed to every source held: events published then are consumed at once.
      this.connection.addReadinessGate(() => this.unsubscribedSources());
    }
    this.connection.on('connected', this.onConnected);
    if (this.connection.isConnected()) await this.subscribe();
  }

  private async subscribe(): Promise<void> {
    if (this.stopped) return;
    await this.connection.topology.replaceIncompatibleRequestQueue(() => this.connection.createChannel(), this.opts.queue);
    const ch = await this.connection.createChannel();
    ch.on('error', (e: Error) => this.log.warn({ msg: 'consumer channel error', queue: this.opts.queue.name, error: e.message }));
    ch.on('close', () => this.closedChannels.add(ch));
    if (this.opts.sources) {
      // The partitions were declared with the connection (declareOnConnect).
      this.channel = ch;
      // After a reconnect: the sources taken before, on the new channel.
      for (const source of [...this.sources.keys()]) await this.consumeSource(ch, source);
      return;
    }
    const queue = await this.connection.topology.assertQueue(ch, this.opts.queue);
    await ch.prefetch(this.opts.concurrency);
    const { consumerTag } = await ch.consume(queue, (msg) => msg && (this.opts.batch ? this.enqueue(ch, msg) : this.track(this.inLane(ch, msg))), { noAck: false });
    this.channel = ch;
    this.consumerTag = consumerTag;
    this.log.info({ msg: 'consuming', queue, concurrency: this.opts.concurrency });
  }

  /**
   * Starts taking a physical queue (`sources` mode). Taking it again changes nothing. On a
   * partition queue the broker makes this subscription active only once no other is.
   */
  async addSource(queue: string): Promise<void> {
    if (!this.opts.sources) throw new Error(`${this.opts.queue.name} takes no sources`);
    if (this.sources.has(queue) || this.stopped) return;
    this.sources.set(queue, {});
    const ch = this.channel;
    if (ch && !this.closedChannels.has(ch)) await this.consumeSource(ch, queue);
  }

  /**
   * Stops taking a physical queue and resolves once every delivery it had handed over is acked
   * (its batch committed) or returned: only then may another consumer take it without two
   * processes holding events of one operation at once.
   */
  async removeSource(queue: string): Promise<void> {
    const s = this.sources.get(queue);
    if (!s) return;
    this.sources.delete(queue);
    // A subscription still being made is cancelled by consumeSource once made; its deliveries count.
    await s.subscribing;
    if (s.ch && s.tag && !this.closedChannels.has(s.ch)) await s.ch.cancel(s.tag).catch(() => undefined);
    if (!this.outstanding.get(queue)) return;
    await new Promise<void>((resolve) => this.drained.set(queue, [...(this.drained.get(queue) ?? []), resolve]));
  }

  /** Why some source held is not subscribed on the current channel, or undefined. */
  unsubscribedSources(): string | undefined {
    if (this.stopped) return undefined;
    const ch = this.channel;
    const waiting = [...this.sources].filter(([, s]) => !ch || this.closedChannels.has(ch) || s.ch !== ch || !s.tag).map(([q]) => q);
    return waiting.length ? `not yet consuming ${waiting.join(', ')}` : undefined;
  }

  /** The physical queues taken now (`sources` mode). */
  takenSources(): string[] {
    return [...this.sources.keys()];
  }

  private async consumeSource(ch: Channel, queue: string): Promise<void> {
    const s = this.sources.get(queue);
    // Removed, or taken on this channel already (a reconnect and a new share may both ask).
    if (!s || s.ch === ch) return;
    s.ch = ch;
    s.tag = undefined;
    let done = () => undefined as void;
    s.subscribing = new Promise<void>((resolve) => (done = resolve));
    try {
      await this.subscribeSource(ch, queue, s);
    } finally {
      done();
    }
  }

  private async subscribeSource(ch: Channel, queue: string, s: { tag?: string }): Promise<void> {
    await ch.prefetch((this.opts.sources as { prefetch: number }).prefetch);
    const { consumerTag } = await ch.consume(
      queue,
      (msg) => {
        if (!msg) return; // the broker cancelled the subscription (the queue was deleted)
        this.outstanding.set(queue, (this.outstanding.get(queue) ?? 0) + 1);
        if (this.opts.batch) this.enqueue(ch, msg, queue);
        else this.track(this.inLane(ch, msg).finally(() => this.settle(queue)));
      },
      { noAck: false },
    );
    s.tag = consumerTag;
    // Removed while subscribing: nothing else will cancel it.
    if (this.sources.get(queue) !== s) {
      await ch.cancel(consumerTag).catch(() => undefined);
      return;
    }
    this.log.info({ msg: 'consuming', queue, concurrency: this.opts.concurrency, event: 'source-taken' });
  }

  private settle(source: string | undefined): void {
    if (source === undefined) return;
    const left = (this.outstanding.get(source) ?? 1) - 1;
    if (left > 0) {
      this.outstanding.set(source, left);
      return;
    }
    this.outstanding.delete(source);
    const waiters = this.drained.get(source) ?? [];
    this.drained.delete(source);
    for (const w of waiters) w();
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private inLane(ch: Channel, raw: ConsumeMessage): Promise<void> {
    const key = this.opts.orderingKey?.((raw.properties.headers ?? {}) as Record<string, unknown>);
    if (!key) return this.process(ch, raw);
    const run = (this.lanes.get(key) ?? Promise.resolve()).then(() => this.process(ch, raw));
    this.lanes.set(key, run);
    void run.finally(() => {
      if (this.lanes.get(key) === run) this.lanes.delete(key);
    });
    return run;
  }

  private enqueue(ch: Channel, raw: ConsumeMessage, source?: string): void {
    this.pending.push({ ch, raw, message: this.toMessage(raw), arrivedAt: Date.now(), source });
    if (this.wake && this.pending.length >= (this.opts.batch as BatchConsumerOptions).maxMessages) this.wake();
    if (this.pumping) return;
    this.pumping = true;
    this.track(
      this.pump()
        .catch((e) => this.log.error({ msg: 'batch consumer failed', queue: this.opts.queue.name, error: (e as Error).message }))
        .finally(() => {
          this.pumping = false;
        }),
    );
  }

  /** Takes pending deliveries in arrival order: accepted runs as batches, the others alone. */
  private async pump(): Promise<void> {
    const b = this.opts.batch as BatchConsumerOptions;
    while (this.pending.length) {
      const waitMs = b.maxWaitMs - (Date.now() - this.pending[0].arrivedAt);
      if (this.pending.length < b.maxMessages && waitMs > 0 && !this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
      const first = this.pending[0];
      const batchable = (d: Delivery) => d.ch === first.ch && !!d.raw.properties.messageId && d.message.parsed && b.accepts(d.message);
      let n = 0;
      while (n < this.pending.length && n < b.maxMessages && batchable(this.pending[n])) n++;
      if (n === 0) {
        this.pending.shift();
        try {
          await this.process(first.ch, first.raw, first.message);
        } finally {
          this.settle(first.source);
        }
        continue;
      }
      const batch = this.pending.splice(0, n);
      try {
        await this.processBatch(batch);
      } finally {
        for (const d of batch) this.settle(d.source);
      }
    }
  }

  private async processBatch(batch: Delivery[]): Promise<void> {
    const b = this.opts.batch as BatchConsumerOptions;
    const ch = batch[0].ch;
    const observed = batch.map((d) => startMessageTimer(this.opts.queue.name, d.message.attempt));
    for (let retry = 0; ; ) {
      if (this.paused) await this.paused;
      try {
        await b.handle(batch.map((d) => d.message));
        this.processed += batch.length;
        for (const d of batch) safeAck(d.ch, d.raw);
        for (const o of observed) o('acked');
        return;
      } catch (e) {
        const error = e as Error;
        if (classifyFailure(e) === 'transient') {
          if (this.stopped || this.closedChannels.has(ch)) {
            for (const d of batch) safeNack(d.ch, d.raw, true);
            for (const o of observed) o('retried');
            return;
          }
          retry++;
          this.transientRetries++;
          const delayMs = backoffDelay(retry, this.opts.backoff ?? DEFAULT_BACKOFF);
          this.log.warn({ msg: 'transient failure; retrying the batch in place', queue: this.opts.queue.name, size: batch.length, retry, delayMs, error: error.message, event: 'transient-retry' });
          this.pause();
          await sleep(delayMs);
          continue;
        }
        // Nothing of the batch committed: each message now runs alone, with its own outcome.
        this.log.warn({ msg: 'batch failed; handling its messages one by one', queue: this.opts.queue.name, size: batch.length, error: error.message, event: 'batch-split' });
        for (const d of batch) await this.process(d.ch, d.raw, d.message);
        return;
      }
    }
  }

  /**
   * Work after an ack holds no prefetch slot, so it has its own bound: at most `concurrency` runs
   * at once in this process (besides the deliveries being handled); the rest wait in arrival order,
   * each still holding its lane.
   */
  private async runAfterAck(work: AfterAck): Promise<void> {
    if (this.afterAckRunning >= this.opts.concurrency) await new Promise<void>((resolve) => this.afterAckWaiting.push(resolve));
    else this.afterAckRunning++;
    try {
      await work();
    } finally {
      const next = this.afterAckWaiting.shift();
      // The slot passes to the next waiter as it is; otherwise it is freed.
      if (next) next();
      else this.afterAckRunning--;
    }
  }

  private toMessage(raw: ConsumeMessage): IncomingMessage {
    const headers = (raw.properties.headers ?? {}) as Record<string, unknown>;
    const attempt = Number(headers['x-delivery-count'] ?? 0) + 1;
    const message: IncomingMessage = {
      routingKey: raw.fields.routingKey,
      messageId: raw.properties.messageId ?? '',
      body: undefined,
      parsed: false,
      headers,
      attempt,
      isFinalAttempt: isFinalAttempt(this.opts.queue, raw, attempt, this.connection.topology.deliveryLimit),
      replyTo: raw.properties.replyTo,
      correlationId: raw.properties.correlationId,
      userId: typeof raw.properties.userId === 'string' && raw.properties.userId !== '' ? raw.properties.userId : undefined,
    };
    try {
      message.body = JSON.parse(raw.content.toString('utf8'));
      message.parsed = true;
    } catch {
      // The handler decides: most reject it, the dead-letter watcher only reads headers.
    }
    return message;
  }

  private async process(ch: Channel, raw: ConsumeMessage, message: IncomingMessage = this.toMessage(raw)): Promise<void> {
    const attempt = message.attempt;
    const observed = startMessageTimer(this.opts.queue.name, attempt);
    if (!raw.properties.messageId) {
      // Without an id a redelivery cannot be told from new work: park it for an operator.
      await this.deadLetter(ch, raw, message, 'message has no messageId (every message needs a unique messageId for deduplication)');
      observed(this.parkedOutcome());
      return;
    }
    for (let retry = 0; ; ) {
      if (this.paused) await this.paused;
      try {
        const afterAck = await this.opts.handle(message);
        this.processed++;
        safeAck(ch, raw);
        observed('acked');
        if (afterAck) {
          await this.runAfterAck(afterAck).catch((e: Error) =>
            this.log.warn({ msg: 'work after the ack failed', queue: this.opts.queue.name, routingKey: message.routingKey, messageId: message.messageId, error: e.message, event: 'after-ack-failed' }),
          );
        }
        return;
      } catch (e) {
        const error = e as Error;
        const kind = classifyFailure(e);
        if (kind === 'transient') {
          if (this.stopped || this.closedChannels.has(ch)) {
            // Shutting down or the channel is gone: the broker redelivers it (to us or a replica).
            safeNack(ch, raw, true);
            observed('retried');
            return;
          }
          retry++;
          this.transientRetries++;
          const delayMs = backoffDelay(retry, this.opts.backoff ?? DEFAULT_BACKOFF);
          this.log.warn({ msg: 'transient failure; retrying in place', queue: this.opts.queue.name, routingKey: message.routingKey, messageId: message.messageId, retry, delayMs, error: error.message, event: 'transient-retry' });
          this.pause();
          await sleep(delayMs);
          continue;
        }
        if (kind !== 'permanent' && !message.isFinalAttempt) {
          this.log.warn({ msg: 'handler failed; message will be redelivered', queue: this.opts.queue.name, routingKey: message.routingKey, messageId: message.messageId, attempt, error: error.message });
          // A short, growing pause before the redelivery; these attempts count toward the limit.
          await sleep(backoffDelay(attempt, this.opts.backoff ?? DEFAULT_BACKOFF));
          safeNack(ch, raw, true);
          observed('retried');
          return;
        }
        const reason = kind === 'permanent' ? error.message : `${error.message} (after ${attempt} attempts)`;
        await this.deadLetter(ch, raw, message, reason, e instanceof UnauthorizedSenderError);
        observed(this.parkedOutcome());
        return;
      }
    }
  }

  /** How a message this consumer could not process left it: parked for operators, or dropped. */
  private parkedOutcome(): 'dead-lettered' | 'dropped' {
    return this.opts.queue.deadLetter === false || this.opts.queue.requests ? 'dropped' : 'dead-lettered';
  }

  /** Pauses every handler of this consumer until the probe answers again. */
  private pause(): void {
    const probe = this.opts.probe;
    if (!probe || this.paused) return;
    const since = Date.now();
    this.paused = (async () => {
      for (let n = 1; !this.stopped; n++) {
        try {
          await probe();
          break;
        } catch (e) {
          if (n === 1) this.pauses++;
          if (n === 1) this.log.warn({ msg: 'dependency unreachable; consumption paused', queue: this.opts.queue.name, error: (e as Error).message, event: 'consumption-paused' });
          await sleep(backoffDelay(n, this.opts.backoff ?? DEFAULT_BACKOFF));
        }
      }
      const pausedMs = Date.now() - since;
      if (pausedMs > 50) this.log.info({ msg: 'consumption resumed', queue: this.opts.queue.name, pausedMs, event: 'consumption-resumed' });
    })().finally(() => {
      this.paused = undefined;
    });
  }

  stats(): QueueConsumerStats {
    return { processed: this.processed, transientRetries: this.transientRetries, pauses: this.pauses, deadLettered: this.deadLettered };
  }

  private async deadLetter(ch: Channel, raw: ConsumeMessage, message: IncomingMessage, reason: string, detachFromOperation = false): Promise<void> {
    if (this.opts.queue.deadLetter === false || this.opts.queue.requests) {
      // This queue reads the dead-letter exchange itself (publishing there again would loop), or
      // holds requests, which are answered with the error instead of parked.
      this.log.error({ msg: 'message dropped after its final attempt', queue: this.opts.queue.name, messageId: message.messageId, reason, event: 'dropped' });
      if (this.opts.queue.requests) await this.opts.onGiveUp?.(message, reason).catch(() => undefined);
      safeAck(ch, raw);
      return;
    }
    try {
      await this.publisher.publish({
        exchange: ExchangeRole.DeadLetter,
        routingKey: raw.fields.routingKey,
        body: message.body ?? raw.content.toString('utf8'),
        // A message that arrived without an id gets one here, so operators can address it.
        messageId: raw.properties.messageId || undefined,
        headers: {
          ...detached(message.headers, detachFromOperation),
          [Headers.LastError]: reason.slice(0, 2000),
          [Headers.OriginalQueue]: this.connection.topology.queue(this.opts.queue.name),
          [Headers.OriginalRoutingKey]: raw.fields.routingKey,
          [Headers.OriginalExchange]: raw.fields.exchange,
        },
      });
      this.deadLettered++;
      this.log.error({ msg: 'message dead-lettered', queue: this.opts.queue.name, routingKey: raw.fields.routingKey, messageId: message.messageId, reason, event: 'dead-lettered' });
      await this.opts.onGiveUp?.(message, reason).catch(() => undefined);
      safeAck(ch, raw);
    } catch (e) {
      // Not acked: the broker redelivers it, and its delivery limit still bounds the attempts.
      this.log.error({ msg: 'could not dead-letter message', messageId: message.messageId, error: (e as Error).message });
      safeNack(ch, raw, true);
    }
  }

  /** Stops taking messages, lets the ones in hand finish, then closes the channel. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.connection.off('connected', this.onConnected);
    const ch = this.channel;
    if (ch && this.consumerTag) await ch.cancel(this.consumerTag).catch(() => undefined);
    for (const s of this.sources.values()) if (s.ch && s.tag && !this.closedChannels.has(s.ch)) await s.ch.cancel(s.tag).catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    if (ch) await ch.close().catch(() => undefined);
    this.log.info({ msg: 'consumer stopped', queue: this.opts.queue.name, ...this.stats(), event: 'consumer-stopped' });
  }
}

/**
 * Classic queues count no deliveries: each delivery of a read is its last attempt, and a request
 * that changes something gets one more after a failure (the broker's redelivered flag), then is
 * answered with its error rather than requeued forever.
 */
export function isFinalAttempt(queue: QueueSpec, raw: Pick<ConsumeMessage, 'fields'>, attempt: number, deliveryLimit: number): boolean {
  if (queue.reads) return true;
  if (queue.classic) return raw.fields.redelivered;
  return attempt >= deliveryLimit;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function safeAck(ch: Channel, raw: ConsumeMessage): void {
  try {
    ch.ack(raw);
  } catch {
    // The channel died; the broker redelivers and the idempotent consumer absorbs the repeat.
  }
}

function safeNack(ch: Channel, raw: ConsumeMessage, requeue: boolean): void {
  try {
    ch.nack(raw, false, requeue);
  } catch {
    // As above: redelivery follows a closed channel.
  }
}

/** Headers of a message parked for an unauthorized sender: the operation it named is kept for inspection only. */
function detached(headers: Record<string, unknown>, detach: boolean): Record<string, unknown> {
  if (!detach) return headers;
  const { [Headers.OperationId]: operationId, ...rest } = headers;
  // Present but undefined: the publisher then derives no operation id from the body either.
  return { ...rest, [Headers.OperationId]: undefined, 'x-rejected-operation-id': operationId };
}
