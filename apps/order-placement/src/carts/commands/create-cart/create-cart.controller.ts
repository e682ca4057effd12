import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { CartView, CreateCartRequest, OrderPlacementRpc } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';
import { CreateCartHandler } from './create-cart.handler';

@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class CreateCartController {
  constructor(private readonly handler: CreateCartHandler) {}

  @MessagePattern(OrderPlacementRpc.CreateCart)
  create(@Payload() req: CreateCartRequest, @Ctx() ctx: AmqpContext): Promise<CartView> {
    return answering(() => this.handler.execute(ctx.manager, req));
  }
}
