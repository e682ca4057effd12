import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { ConversionOutcome, PendingOrderRef, PendingOrderRpc } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { PendingOrdersService } from '../../pending-orders.service';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';

/** The seed's manual Import. A failed conversion is an answer, not an error, so its record of the failure commits. */
@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class ImportPendingOrderController {
  constructor(private readonly pending: PendingOrdersService) {}

  @MessagePattern(PendingOrderRpc.Import)
  importNow(@Payload() req: PendingOrderRef, @Ctx() ctx: AmqpContext): Promise<ConversionOutcome> {
    return answering(() => this.pending.importNow(ctx.manager, ctx.outbox, req.ownerId, req.number));
  }
}
