import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { OrderPlacementCommands, PlaceBatchCommand } from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { PlacementService } from '../../placement.service';
import { ORDER_PLACEMENT_COMMANDS_CONSUMER } from '../../../queues';

/** One batch per message, in the message's deduplicating transaction; acked after it commits. */
@MessageController(ORDER_PLACEMENT_COMMANDS_CONSUMER)
export class PlaceBatchController {
  constructor(private readonly placement: PlacementService) {}

  @EventPattern(OrderPlacementCommands.PlaceBatch)
  async placeBatch(@Payload() cmd: PlaceBatchCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.placement.runBatch(ctx.manager, ctx.outbox, cmd, ctx.message);
  }
}
