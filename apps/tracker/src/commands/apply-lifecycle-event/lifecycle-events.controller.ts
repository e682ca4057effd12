import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  ExchangeRole,
  OPERATION_EVENTS_PATTERN,
  OperationEvents,
  OperationFinished,
  OperationItemsProgressed,
  OperationStarted,
  OperationStepChanged,
  OperationSubmitted,
} from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { ContextLogger, JsonLogger } from '@asyncops/platform';
import { LifecycleBatch } from '../../operations/lifecycle-batch';
import { OperationLifecycle } from '../../operations/operation-lifecycle';
import { ProducerAuthorization } from '../../producers/producer-authorization';
import { TRACKER_SCHEMA } from '../../config';
import { TRACKER_EVENT_PARTITIONS, TRACKER_EVENTS_QUEUE } from '../../queues';

/** Where a parked event keeps the broker user that sent it. */
const SENDER_KEY = 'x-sender-broker-user';

/**
 * Lifecycle events from any producer; each runs in its own deduplicating transaction, unless the
 * queue's micro-batches (LifecycleBatch) take it.
 */
@MessageController({
  queue: TRACKER_EVENTS_QUEUE,
  // Wildcards, not the known keys: a message the tracker cannot handle must reach it to be
  // dead-lettered with a reason rather than vanish unrouted.
  bindings: [{ exchange: ExchangeRole.Events, pattern: OPERATION_EVENTS_PATTERN }],
  batch: LifecycleBatch,
  partitions: TRACKER_EVENT_PARTITIONS,
})
export class LifecycleEventsController {
  private readonly log: ContextLogger;

  constructor(
    private readonly lifecycle: OperationLifecycle,
    private readonly producers: ProducerAuthorization,
    logger: JsonLogger,
  ) {
    this.log = logger.child('LifecycleEvents');
  }

  /**
   * An event changes an operation only when its broker user may speak for the operation's
   * producer. An event ahead of its operation is parked with its sender (SENDER_KEY) and judged
   * when the operation's `submitted` arrives.
   */
  private async authorize<T extends { operationId: string }>(ctx: AmqpContext, payload: T): Promise<T> {
    // The common case (guest, or a producer allowed everything) costs no lookup.
    if (this.producers.mayReportForAny(ctx.message.userId)) return payload;
    const rows: Array<{ producer: string }> = await ctx.manager.query(`SELECT "producer" FROM "${TRACKER_SCHEMA}"."async_operation" WHERE "id" = $1`, [payload.operationId]);
    if (rows[0]) {
      this.producers.check(ctx.message.userId, rows[0].producer, payload.operationId);
      return payload;
    }
    return ctx.message.userId === undefined ? payload : { ...payload, [SENDER_KEY]: ctx.message.userId };
  }

  /** Drops parked events whose sender may not report for the producer that has now submitted. */
  private async rejectParkedFromOthers(ctx: AmqpContext, operationId: string, producer: string): Promise<void> {
    // Senders are only kept for users limited to named producers.
    if (!this.producers.restrictsAnyone) return;
    const parked: Array<{ id: string; routing_key: string; sender: string }> = await ctx.manager.query(
      `SELECT "id", "routing_key", "payload"->>'${SENDER_KEY}' AS "sender" FROM "${TRACKER_SCHEMA}"."orphan_event" WHERE "operation_id" = $1 AND "payload" ? '${SENDER_KEY}'`,
      [operationId],
    );
    for (const p of parked) {
      try {
        this.producers.check(p.sender, producer, operationId);
      } catch (e) {
        await ctx.manager.query(`DELETE FROM "${TRACKER_SCHEMA}"."orphan_event" WHERE "id" = $1`, [p.id]);
        this.log.error({ msg: 'parked event rejected', event: 'event-rejected', operationId, routingKey: p.routing_key, reason: (e as Error).message });
      }
    }
  }

  @EventPattern(OperationEvents.Submitted)
  async submitted(@Payload() e: OperationSubmitted, @Ctx() ctx: AmqpContext): Promise<void> {
    this.producers.check(ctx.message.userId, e.producer, e.operationId);
    await this.rejectParkedFromOthers(ctx, e.operationId, e.producer);
    await this.lifecycle.create(ctx.manager, ctx.outbox, { ...e, submittedAt: new Date(e.occurredAt) });
  }

  @EventPattern(OperationEvents.Started)
  async started(@Payload() payload: OperationStarted, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.lifecycle.apply(ctx.manager, ctx.outbox, { key: OperationEvents.Started, payload: await this.authorize(ctx, payload) });
  }

  @EventPattern(OperationEvents.StepChanged)
  async stepChanged(@Payload() payload: OperationStepChanged, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.lifecycle.apply(ctx.manager, ctx.outbox, { key: OperationEvents.StepChanged, payload: await this.authorize(ctx, payload) });
  }

  @EventPattern(OperationEvents.ItemsProgressed)
  async itemsProgressed(@Payload() payload: OperationItemsProgressed, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.lifecycle.apply(ctx.manager, ctx.outbox, { key: OperationEvents.ItemsProgressed, payload: await this.authorize(ctx, payload) });
  }

  @EventPattern(OperationEvents.Finished)
  async finished(@Payload() payload: OperationFinished, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.lifecycle.apply(ctx.manager, ctx.outbox, { key: OperationEvents.Finished, payload: await this.authorize(ctx, payload) });
  }
}
