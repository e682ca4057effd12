import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ConvertPendingOrdersCommand, ExchangeRole, PENDING_ORDER_CONVERSION_PATTERN, PendingOrderCommands } from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { PENDING_ORDER_CONVERSION_QUEUE } from '../../../queues';
import { CONVERSION_CONCURRENCY, PendingOrdersService } from '../../pending-orders.service';

/** A chunk of conversions in its message's deduplicating transaction; acked after it commits. */
@MessageController({ queue: PENDING_ORDER_CONVERSION_QUEUE, bindings: [{ exchange: ExchangeRole.Commands, pattern: PENDING_ORDER_CONVERSION_PATTERN }], concurrency: CONVERSION_CONCURRENCY })
export class ConvertPendingOrdersController {
  constructor(private readonly pending: PendingOrdersService) {}

  @EventPattern(PendingOrderCommands.Convert)
  async convert(@Payload() cmd: ConvertPendingOrdersCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.pending.convertCommand(ctx.manager, ctx.outbox, cmd);
  }
}
