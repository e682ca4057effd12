import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { DeletePendingOrderResult, PendingOrderRef, PendingOrderRpc } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { PendingOrdersService } from '../../pending-orders.service';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';

@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class DeletePendingOrderController {
  constructor(private readonly pending: PendingOrdersService) {}

  @MessagePattern(PendingOrderRpc.Delete)
  delete(@Payload() req: PendingOrderRef, @Ctx() ctx: AmqpContext): Promise<DeletePendingOrderResult> {
    return answering(() => this.pending.delete(ctx.manager, req.ownerId, req.number));
  }
}
