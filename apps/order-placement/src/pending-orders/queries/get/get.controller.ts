import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { PendingOrderRef, PendingOrderRpc, PendingOrderView } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { PendingOrdersService } from '../../pending-orders.service';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';

@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class GetPendingOrderController {
  constructor(private readonly pending: PendingOrdersService) {}

  @MessagePattern(PendingOrderRpc.Get)
  get(@Payload() req: PendingOrderRef, @Ctx() ctx: AmqpContext): Promise<PendingOrderView> {
    return answering(() => this.pending.get(ctx.manager, req.ownerId, req.number));
  }
}
