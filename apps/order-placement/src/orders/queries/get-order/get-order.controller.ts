import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { GetOrderRequest, OrderPlacementRpc, OrderView } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';
import { GetOrderQuery } from './get-order.query';

@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class GetOrderController {
  constructor(private readonly query: GetOrderQuery) {}

  @MessagePattern(OrderPlacementRpc.GetOrder)
  get(@Payload() req: GetOrderRequest, @Ctx() ctx: AmqpContext): Promise<OrderView> {
    return answering(() => this.query.execute(ctx.manager, req));
  }
}
