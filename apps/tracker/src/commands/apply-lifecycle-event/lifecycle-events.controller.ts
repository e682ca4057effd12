import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  OperationEvents,
  OperationFinished,
  OperationItemsProgressed,
  OperationStarted,
  OperationStepChanged,
  OperationSubmitted,
} from '@asyncops/contracts';
import { AmqpContext, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { OperationLifecycle } from '../../operations/operation-lifecycle';
import { ProducerAuthorization } from '../../producers/producer-authorization';
import { TRACKER_SCHEMA } from '../../config';

/** Lifecycle events from any producer; each runs in its own deduplicating transaction. */
@Controller()
@UseFilters(RethrowRpcExceptionFilter)
export class LifecycleEventsController {
  constructor(
    private readonly lifecycle: OperationLifecycle,
    private readonly producers: ProducerAuthorization,
  ) {}

  /** An event changes an operation only when its broker user may speak for the operation's producer. */
  private async authorize(ctx: AmqpContext, operationId: string): Promise<void> {
    const rows: Array<{ producer: string }> = await ctx.manager.query(`SELECT "producer" FROM "${TRACKER_SCHEMA}"."async_operation" WHERE "id" = $1`, [operationId]);
    // An event ahead of its operation is parked; it is applied once a permitted Submitted arrives.
    if (rows[0]) this.producers.check(ctx.message.userId, rows[0].producer, operationId);
  }

  @EventPattern(OperationEvents.Submitted)
  async submitted(@Payload() e: OperationSubmitted, @Ctx() ctx: AmqpContext): Promise<void> {
    this.producers.check(ctx.message.userId, e.producer, e.operationId);
    await this.lifecycle.create(ctx.manager, ctx.outbox, { ...e, submittedAt: new Date(e.occurredAt) });
  }

  @EventPattern(OperationEvents.Started)
  async started(@Payload() payload: OperationStarted, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.authorize(ctx, payload.operationId);
    await this.lifecycle.apply(ctx.manager, ctx.outbox, { key: OperationEvents.Started, payload });
  }

  @EventPattern(OperationEvents.StepChanged)
  async stepChanged(@Payload() payload: OperationStepChanged, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.authorize(ctx, payload.operationId);
    await this.lifecycle.apply(ctx.manager, ctx.outbox, { key: OperationEvents.StepChanged, payload });
  }

  @EventPattern(OperationEvents.ItemsProgressed)
  async itemsProgressed(@Payload() payload: OperationItemsProgressed, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.authorize(ctx, payload.operationId);
    await this.lifecycle.apply(ctx.manager, ctx.outbox, { key: OperationEvents.ItemsProgressed, payload });
  }

  @EventPattern(OperationEvents.Finished)
  async finished(@Payload() payload: OperationFinished, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.authorize(ctx, payload.operationId);
    await this.lifecycle.apply(ctx.manager, ctx.outbox, { key: OperationEvents.Finished, payload });
  }
}
