import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ConvertPendingOrdersCommand, PendingOrderCommands } from '@asyncops/contracts';
import { AmqpContext, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { PendingOrdersService } from '../../pending-orders.service';

/** A chunk of conversions in its message's deduplicating transaction; acked after it commits. */
@Controller()
@UseFilters(RethrowRpcExceptionFilter)
export class ConvertPendingOrdersController {
  constructor(private readonly pending: PendingOrdersService) {}

  @EventPattern(PendingOrderCommands.Convert)
  async convert(@Payload() cmd: ConvertPendingOrdersCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.pending.convertCommand(ctx.manager, ctx.outbox, cmd);
  }
}
