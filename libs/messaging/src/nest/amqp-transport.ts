import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { lastValueFrom, Observable, throwError } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';
import { Headers, isKnownRoutingKey, RpcErrorCode, validateMessage } from '@asyncops/contracts';
import { ContextLogger, runWithCorrelationId } from '@asyncops/platform';
import { AmqpConnection } from '../amqp/connection';
import { PermanentMessageError } from '../amqp/errors';
import { ConfirmedPublisher } from '../amqp/publisher';
import { AfterAck, BatchConsumerOptions, IncomingMessage, QueueConsumer } from '../amqp/queue-consumer';
import { RetiredQueueDrain } from '../amqp/retired-queue';
import { QueueSpec } from '../amqp/topology';
import { IdempotentExecutor } from '../inbox/idempotent-executor';
import { RpcReplyStore } from '../inbox/rpc-reply-store';
import { OutboxRelay, OutboxWriter } from '../outbox/outbox';
import { RPC_DEADLINE_HEADER, RpcError, RpcReply } from '../rpc/rpc-client';
import { ServiceError } from '../rpc/service-error';
import { PartitionCoordinator } from '../partitions/partition-coordinator';
import { AmqpContext, Continuation } from './amqp-context';

/** Clocks of caller and server may differ a little; a request is stale only past this margin. */
const DEADLINE_CLOCK_MARGIN_MS = 1000;

export interface ConsumerDefinition {
  queue: QueueSpec;
  concurrency: number;
  /** Applies the queue's events in micro-batches (services with tables only); see BatchEventHandler. */
  batch?: { maxMessages: number; maxWaitMs: number; handler: BatchEventHandler };
}

/** A validated event of a batch, in arrival order. */
export interface BatchEvent {
  message: IncomingMessage;
  routingKey: string;
  payload: unknown;
}

/**
 * Applies many events in one transaction. The transport records their processed ids set-based in
 * that transaction, hands over only the events not seen before, commits, then acks every delivery.
 * Events it does not accept go to their @EventPattern handler alone, in their place in the order.
 */
export interface BatchEventHandler {
  accepts(routingKey: string, payload: unknown, message: IncomingMessage): boolean;
  handleBatch(events: BatchEvent[], manager: EntityManager, outbox: OutboxWriter): Promise<void>;
  /**
   * Optional: the events of a batch that change nothing whenever they are applied (e.g. a repeated
   * creation of a record that exists), judged by reads on the pool before any transaction. They
   * are acked without a transaction or a processed-message record, so only an event whose
   * handling is a no-op from then on, however often it is delivered, may be named.
   */
  changesNothing?(events: BatchEvent[], manager: EntityManager): Promise<ReadonlySet<BatchEvent>>;
}

export interface AmqpTransportOptions {
  connection: AmqpConnection;
  publisher: ConfirmedPublisher;
  log: ContextLogger;
  consumers: ConsumerDefinition[];
  /** Present for services that own tables: handlers then run in a deduplicating transaction. */
  persistence?: { dataSource: DataSource; schema: string; relay: OutboxRelay };
  /** How long stored RPC replies are kept for redeliveries (default 60 minutes). */
  replyRetentionMinutes?: number;
  /** Partitioned queues: how long a replica's partition lease lasts without renewal (default 5 s). */
  partitionLeaseMs?: number;
}


/** The request was answered before (found in the reply store): the transaction opened for it is dropped. */
class StoredAnswer extends Error {
  constructor(readonly reply: string) {
    super('answered from the reply store');
  }
}

/**
 * `@MessagePattern(key, READ_ONLY_REQUEST)`: the handler only reads. It runs on the pool outside
 * a transaction (one statement reads one snapshot) and its reply is not stored: a redelivery is
 * simply answered again. A handler that occasionally writes opens its own transaction.
 */
export const READ_ONLY_REQUEST = { readOnly: true } as const;

/**
 * `@MessagePattern(key, REPEATABLE_REQUEST)`: the handler is one statement whose effect is the same
 * however often it runs (e.g. a DELETE of named rows). Handled as READ_ONLY_REQUEST: on the pool, a
 * statement being its own transaction, and without a stored reply, since running it again is the
 * answer to a redelivery.
 */
export const REPEATABLE_REQUEST = READ_ONLY_REQUEST;

const isReadOnly = (handler: MessageHandler) => (handler.extras as { readOnly?: unknown } | undefined)?.readOnly === true;

/**
 * Nest's @EventPattern / @MessagePattern handlers on top of our own consumers. Event handlers
 * run inside one transaction with the processed-message record and the outbox; the message is
 * acked after that transaction commits. Message-pattern handlers answer request/reply calls.
 */
export class AmqpTransport extends Server implements CustomTransportStrategy {
  private readonly queueConsumers: QueueConsumer[] = [];
  private readonly coordinators: PartitionCoordinator[] = [];
  private readonly retiredQueues: RetiredQueueDrain[] = [];
  private readonly executor?: IdempotentExecutor;
  private readonly replies?: RpcReplyStore;
  private pruneTimer?: NodeJS.Timeout;
  /** Set by `close`: chained work stops at its next link and is left to its held-back message. */
  private closing = false;

  constructor(private readonly options: AmqpTransportOptions) {
    super();
    if (options.persistence) {
      this.executor = new IdempotentExecutor(options.persistence.dataSource, options.persistence.schema);
      this.replies = new RpcReplyStore(options.persistence.dataSource, options.persistence.schema);
    }
  }

  /** Replies are only needed while a redelivery of their request can still arrive. */
  private startPruning(): void {
    const replies = this.replies;
    if (!replies) return;
    const retentionMinutes = this.options.replyRetentionMinutes ?? 60;
    this.pruneTimer = setInterval(
      () =>
        void replies
          .prune(retentionMinutes)
          .then((n) => n && this.options.log.info({ msg: 'old rpc replies pruned', event: 'rpc-replies-pruned', count: n }))
          .catch((e: Error) => this.options.log.warn({ msg: 'rpc reply pruning failed', error: e.message })),
      Math.min(5 * 60_000, retentionMinutes * 30_000),
    );
    this.pruneTimer.unref();
  }

  async listen(callback: (...args: unknown[]) => void): Promise<void> {
    try {
      this.startPruning();
      for (const def of this.options.consumers) {
        const consumer = this.consumerOf(def, def.queue);
        await consumer.start();
        this.queueConsumers.push(consumer);
        if (def.queue.partitions) {
          const p = this.options.persistence;
          if (!p) throw new Error(`queue ${def.queue.name} is partitioned, which needs a service with tables (partition leases)`);
          const coordinator = new PartitionCoordinator({
            dataSource: p.dataSource,
            schema: p.schema,
            connection: this.options.connection,
            consumer,
            queue: def.queue,
            leaseMs: this.options.partitionLeaseMs ?? 5_000,
            log: this.options.log,
          });
          await coordinator.start();
          this.coordinators.push(coordinator);
        }
        if (def.queue.replaces) {
          // After the replacement is bound: the retired queue is unbound only once requests have somewhere to go.
          const drain = new RetiredQueueDrain(this.options.connection, def.queue, (retired) => this.consumerOf({ ...def, batch: undefined }, retired), this.options.log);
          await drain.start();
          this.retiredQueues.push(drain);
        }
      }
      callback();
    } catch (e) {
      callback(e);
    }
  }

  /** A consumer of `queue` with the handlers of `def`'s queue (the queue itself, or the one it replaced). */
  private consumerOf(def: ConsumerDefinition, queue: QueueSpec): QueueConsumer {
    const dataSource = this.options.persistence?.dataSource;
    return new QueueConsumer(
      this.options.connection,
      this.options.publisher,
      {
        queue,
        concurrency: def.concurrency,
        handle: async (m) => {
          const correlationId = correlationIdOf(m);
          const afterAck = await runWithCorrelationId(correlationId, () => this.dispatch(def.queue.name, m));
          return afterAck && (() => runWithCorrelationId(correlationId, afterAck));
        },
        orderingKey: (headers) => {
          const id = headers[Headers.OperationId];
          return typeof id === 'string' ? id : undefined;
        },
        onGiveUp: (m, reason) => this.replyError(m, RpcErrorCode.Internal, reason),
        probe: dataSource ? () => probeDatabase(dataSource) : undefined,
        batch: def.batch && this.executor ? this.batchOptions(def.queue.name, def.batch) : undefined,
        // Each partition's window: together twice the queue's, so one replica holding every
        // partition still fills whole batches, and two holding half each fill theirs.
        sources: queue.partitions ? { prefetch: Math.ceil((2 * def.concurrency) / queue.partitions.count) } : undefined,
      },
      this.options.log,
    );
  }

  private batchOptions(queue: string, def: NonNullable<ConsumerDefinition['batch']>): BatchConsumerOptions {
    // Validated once when the message is accepted into a batch, used when the batch runs.
    const validated = new WeakMap<IncomingMessage, unknown>();
    return {
      maxMessages: def.maxMessages,
      maxWaitMs: def.maxWaitMs,
      accepts: (m) => {
        if (m.replyTo || !isKnownRoutingKey(m.routingKey)) return false;
        const handler = this.getHandlerByPattern(m.routingKey);
        if (!handler?.isEventHandler) return false;
        const v = validateMessage(m.routingKey, m.body);
        if (!v.ok || !def.handler.accepts(m.routingKey, v.value, m)) return false;
        validated.set(m, v.value);
        return true;
      },
      handle: (messages) => this.runBatch(queue, def.handler, messages.map((m) => ({ message: m, routingKey: m.routingKey, payload: validated.get(m) }))),
    };
  }

  private async runBatch(queue: string, handler: BatchEventHandler, delivered: BatchEvent[]): Promise<void> {
    const p = this.options.persistence as NonNullable<AmqpTransportOptions['persistence']>;
    const started = Date.now();
    let wroteOutbox = false;
    let applied = 0;
    // A transaction (and the locks it takes) only for events that may change something.
    const idle = handler.changesNothing ? await handler.changesNothing(delivered, p.dataSource.manager) : undefined;
    const events = idle?.size ? delivered.filter((e) => !idle.has(e)) : delivered;
    if (!events.length) {
      this.options.log.debug({ msg: 'batch changes nothing', event: 'batch-handled', queue, size: delivered.length, applied: 0, durationMs: Date.now() - started });
      return;
    }
    await (this.executor as IdempotentExecutor).runManyEndingWith(
      queue,
      events.map((e) => e.message.messageId),
      async (manager, fresh) => {
        // A message delivered twice within the batch counts once: its first delivery.
        const seen = new Set<string>();
        const todo = events.filter((e) => fresh.has(e.message.messageId) && !seen.has(e.message.messageId) && seen.add(e.message.messageId));
        applied = todo.length;
        if (!todo.length) return { value: undefined };
        const outbox = new OutboxWriter(manager, p.schema, { deferred: true });
        await handler.handleBatch(todo, manager, outbox);
        // The batch's outbox rows go with its COMMIT, in one message (a round trip less per batch).
        const last = outbox.takeInsert(1);
        if (!last) await outbox.flush();
        wroteOutbox = outbox.written > 0;
        return { value: undefined, last };
      },
    );
    if (wroteOutbox) p.relay.kick();
    this.options.log.debug({ msg: 'batch handled', event: 'batch-handled', queue, size: delivered.length, applied, durationMs: Date.now() - started });
  }

  private async dispatch(queue: string, message: IncomingMessage): Promise<void | AfterAck> {
    if (isStaleRequest(message)) {
      // Its caller has given up (the server was paused, or the broker held it back): running it
      // now would do work nobody sees the answer of. Acked and forgotten, never dead-lettered.
      this.options.log.info({ msg: 'stale request dropped', event: 'request-expired', queue, routingKey: message.routingKey, messageId: message.messageId });
      return;
    }
    if (!message.parsed) throw new PermanentMessageError('message body is not valid JSON');
    const handler = this.getHandlerByPattern(message.routingKey);
    if (!handler || !isKnownRoutingKey(message.routingKey)) {
      throw new PermanentMessageError(`no handler for routing key "${message.routingKey}" on queue ${queue}`);
    }
    const validated = validateMessage(message.routingKey, message.body);
    if (!validated.ok) {
      if (!handler.isEventHandler) {
        await this.replyError(message, RpcErrorCode.Invalid, validated.errors.join('; '));
        return;
      }
      throw new PermanentMessageError(`invalid ${message.routingKey} payload: ${validated.errors.join('; ')}`);
    }
    const started = Date.now();
    let afterAck: AfterAck | undefined;
    if (handler.isEventHandler) afterAck = await this.runEvent(queue, handler, message, validated.value);
    else await this.handleRequest(handler, message, validated.value);
    // Carries the message's correlation id, so a request can be followed into every service's log.
    this.options.log.debug({ msg: 'message handled', event: 'message-handled', queue, routingKey: message.routingKey, messageId: message.messageId, durationMs: Date.now() - started });
    return afterAck;
  }

  /** Resolves, once the message's transaction committed, to the work it chained (`continueWith`), if any. */
  private async runEvent(queue: string, handler: MessageHandler, message: IncomingMessage, payload: unknown): Promise<AfterAck | undefined> {
    const p = this.options.persistence;
    if (!p || !this.executor) {
      await this.invoke(handler, payload, new AmqpContext([message, undefined, undefined]));
      return undefined;
    }
    let wroteOutbox = false;
    const chained: { next?: Continuation } = {};
    const outcome = await this.executor.run(queue, message.messageId, async (manager) => {
      // A retried transaction chains only what its own run asked for.
      chained.next = undefined;
      const outbox = new OutboxWriter(manager, p.schema, { deferred: true });
      await this.invoke(handler, payload, new AmqpContext([message, manager, outbox, (c) => (chained.next = c)]));
      await outbox.flush();
      wroteOutbox = outbox.written > 0;
    });
    if (outcome.duplicate) this.options.log.debug({ msg: 'duplicate message ignored', messageId: message.messageId, routingKey: message.routingKey });
    if (wroteOutbox) p.relay.kick();
    const first = outcome.duplicate ? undefined : chained.next;
    return first && (() => this.runChain(queue, first));
  }

  /**
   * Chained work, after the ack of the message that started it: each link is the handling of a
   * message its predecessor wrote (held back) to the outbox, in its own transaction recording that
   * message as processed and withdrawing it from the outbox. A link that fails rolls back and ends
   * the chain; its message is then delivered as usual. A link whose message was handled already
   * (delivered to another consumer) ends the chain too.
   */
  private async runChain(queue: string, first: Continuation): Promise<void> {
    const p = this.options.persistence as NonNullable<AmqpTransportOptions['persistence']>;
    const executor = this.executor as IdempotentExecutor;
    let link: Continuation | undefined = first;
    let links = 0;
    while (link && !this.closing) {
      const c: Continuation = link;
      const started = Date.now();
      const message: IncomingMessage = { routingKey: c.routingKey, messageId: c.messageId, body: undefined, parsed: true, headers: {}, attempt: 1, isFinalAttempt: false };
      const chained: { next?: Continuation } = {};
      let wroteOutbox = false;
      const outcome = await executor.run(queue, c.messageId, async (manager) => {
        chained.next = undefined;
        // Unless the relay sent it already; if it holds the row to send it now, this waits for that and deletes nothing.
        await manager.query(`DELETE FROM "${p.schema}"."outbox" WHERE "message_id"::text = $1`, [c.messageId]);
        const outbox = new OutboxWriter(manager, p.schema, { deferred: true });
        await c.work(new AmqpContext([message, manager, outbox, (n) => (chained.next = n)]));
        await outbox.flush();
        wroteOutbox = outbox.written > 0;
      });
      if (wroteOutbox) p.relay.kick();
      if (outcome.duplicate) {
        this.options.log.debug({ msg: 'chained message handled already; chain ends', event: 'chain-duplicate', queue, routingKey: c.routingKey, messageId: c.messageId, links });
        return;
      }
      links++;
      this.options.log.debug({ msg: 'chained message handled', event: 'message-handled', chained: true, queue, routingKey: c.routingKey, messageId: c.messageId, durationMs: Date.now() - started });
      link = chained.next;
    }
    if (link) this.options.log.info({ msg: 'stopping: chain left to its held-back message', event: 'chain-left', queue, routingKey: link.routingKey, messageId: link.messageId, links });
  }

  private async handleRequest(handler: MessageHandler, message: IncomingMessage, payload: unknown): Promise<void> {
    const p = this.options.persistence;
    let reply: string;
    let relay = false;
    try {
      if (p && isReadOnly(handler)) {
        const data = await this.invoke(handler, payload, new AmqpContext([message, p.dataSource.manager, undefined]));
        reply = JSON.stringify({ ok: true, data } satisfies RpcReply<unknown>);
      } else if (p && this.replies) {
        const replies = this.replies;
        // Most requests are new: the store is read while the transaction opens (its connection
        // is asked for first, so it never waits behind the transaction's), and the handler runs
        // only once the read found no answer.
        const lookup = replies.find(message.messageId);
        lookup.catch(() => undefined);
        let wroteOutbox = false;
        const answered = await (this.executor as IdempotentExecutor)
          .transactionEndingWith(async (manager: EntityManager) => {
            const stored = await lookup;
            // A redelivery (the first reply or ack was lost) or a retry under the same id: the
            // first answer again, without running the handler a second time.
            if (stored !== undefined) throw new StoredAnswer(stored);
            const outbox = new OutboxWriter(manager, p.schema, { deferred: true });
            const data = await this.invoke(handler, payload, new AmqpContext([message, manager, outbox]));
            // The outbox rows go in with the reply, in its statement, which goes with the COMMIT.
            const rows = outbox.takeInsert(4);
            if (!rows) await outbox.flush();
            wroteOutbox = outbox.written > 0;
            const text = JSON.stringify({ ok: true, data } satisfies RpcReply<unknown>);
            // Only calls that changed something are kept: reads are simply run again.
            return { value: text, last: replies.lastStatement(message.messageId, text, rows) };
          })
          .catch(async (e: unknown) => {
            if (e instanceof StoredAnswer) {
              this.options.log.info({ msg: 'request answered from the reply store', event: 'rpc-replayed', routingKey: message.routingKey, messageId: message.messageId });
              wroteOutbox = false;
              return e.reply;
            }
            if (!replies.isReplyConflict(e)) throw e;
            // The same request ran concurrently in another delivery and committed first: this
            // run is rolled back and the committed answer is the answer.
            wroteOutbox = false;
            return replies.find(message.messageId);
          });
        relay = wroteOutbox;
        if (answered === undefined) throw new Error(`reply of ${message.messageId} vanished from the reply store`);
        reply = answered;
      } else {
        const data = await this.invoke(handler, payload, new AmqpContext([message, undefined, undefined]));
        reply = JSON.stringify({ ok: true, data } satisfies RpcReply<unknown>);
      }
    } catch (thrown) {
      // A ServiceError that no answering() wrapped is still a deliberate answer, never a bug.
      const e = thrown instanceof ServiceError ? thrown.toRpcError() : thrown;
      if (e instanceof RpcError && e.code !== RpcErrorCode.Internal) {
        await this.replyError(message, e.code, e.message, e.details);
        return;
      }
      throw thrown;
    }
    const sent = this.sendRaw(message, reply);
    // The caller waits for the reply, nothing waits for the relay more than for it: the relay's
    // claim starts once the reply is on its way instead of competing with it for the CPU.
    if (relay) setImmediate(() => p?.relay.kick());
    await sent;
  }

  private async invoke(handler: MessageHandler, payload: unknown, ctx: AmqpContext): Promise<unknown> {
    const result$ = this.transformToObservable(await handler(payload, ctx)) as Observable<unknown>;
    return lastValueFrom(result$, { defaultValue: undefined });
  }

  private async replyError(message: IncomingMessage, code: RpcErrorCode, text: string, details?: Record<string, unknown>): Promise<void> {
    await this.reply(message, { ok: false, error: { code, message: text, ...(details ? { details } : {}) } });
  }

  private async reply(message: IncomingMessage, reply: RpcReply<unknown>): Promise<void> {
    await this.sendRaw(message, JSON.stringify(reply));
  }

  private async sendRaw(message: IncomingMessage, reply: string): Promise<void> {
    if (!message.replyTo) return;
    // Replies go through the default exchange straight to the caller's reply-to address.
    const ch = await this.options.connection.getPublishChannel(5000);
    await new Promise<void>((resolve, reject) =>
      ch.publish('', message.replyTo as string, Buffer.from(reply), { correlationId: message.correlationId, contentType: 'application/json' }, (err) =>
        err ? reject(err) : resolve(),
      ),
    ).catch((e) => this.options.log.warn({ msg: 'reply not delivered', error: (e as Error).message }));
  }

  on(): never {
    throw new Error('AmqpTransport does not emit events');
  }

  unwrap<T>(): T {
    return this.options.connection as T;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    // Partitions first: their in-flight batches finish and their leases are freed for the other replicas.
    await Promise.all(this.coordinators.map((c) => c.stop()));
    this.coordinators.length = 0;
    await Promise.all(this.retiredQueues.map((d) => d.stop()));
    this.retiredQueues.length = 0;
    await Promise.all(this.queueConsumers.map((c) => c.stop()));
    this.queueConsumers.length = 0;
  }
}

/** The database answers a trivial query: used to pause consumption while it is unreachable. */
export async function probeDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}

function isStaleRequest(message: IncomingMessage): boolean {
  if (!message.replyTo) return false;
  const deadline = Number(message.headers[RPC_DEADLINE_HEADER]);
  return Number.isFinite(deadline) && deadline > 0 && Date.now() > deadline + DEADLINE_CLOCK_MARGIN_MS;
}

function correlationIdOf(message: IncomingMessage): string | undefined {
  const value = message.headers[Headers.CorrelationId];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Lets a handler's own error reach the transport, which decides between retry and dead-letter. */
@Catch()
export class RethrowRpcExceptionFilter implements RpcExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
