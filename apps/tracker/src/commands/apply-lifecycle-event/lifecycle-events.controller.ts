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

/** Lifecycle events from any producer; each runs in its own deduplicating transaction. */
@Controller()
@UseFilters(RethrowRpcExceptionFilter)
export class LifecycleEventsController {
  constructor(private readonly lifecycle: OperationLifecycle) {}

  @EventPattern(OperationEvents.Submitted)
  async submitted(@Payload() e: OperationSubmitted, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.lifecycle.create(ctx.manager, ctx.outbox, { ...e, submittedAt: new Date(e.occurredAt) });
  }

  @EventPattern(OperationEvents.Started)
  async started(@Payload() payload: OperationStarted, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.lifecycle.apply(ctx.manager, ctx.outbox, { key: OperationEvents.Started, payload });
  }

  @EventPattern(OperationEvents.StepChanged)
  async stepChanged(@Payload() payload: OperationStepChanged, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.lifecycle.apply(ctx.manager, ctx.outbox, { key: OperationEvents.StepChanged, payload });
  }

  @EventPattern(OperationEvents.ItemsProgressed)
  async itemsProgressed(@Payload() payload: OperationItemsProgressed, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.lifecycle.apply(ctx.manager, ctx.outbox, { key: OperationEvents.ItemsProgressed, payload });
  }

  @EventPattern(OperationEvents.Finished)
  async finished(@Payload() payload: OperationFinished, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.lifecycle.apply(ctx.manager, ctx.outbox, { key: OperationEvents.Finished, payload });
  }
}
