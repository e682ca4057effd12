import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { AddCartItemsRequest, AddCartItemsResult, OrderPlacementRpc } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';
import { AddCartItemsHandler } from './add-cart-items.handler';

@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class AddCartItemsController {
  constructor(private readonly handler: AddCartItemsHandler) {}

  @MessagePattern(OrderPlacementRpc.AddCartItems)
  add(@Payload() req: AddCartItemsRequest, @Ctx() ctx: AmqpContext): Promise<AddCartItemsResult> {
    return answering(() => this.handler.execute(ctx.manager, req));
  }
}
