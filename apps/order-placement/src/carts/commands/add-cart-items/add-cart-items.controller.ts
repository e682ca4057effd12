import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { AddCartItemsRequest, AddCartItemsResult, OrderPlacementRpc } from '@asyncops/contracts';
import { AmqpContext, answering, Consumes, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';
import { AddCartItemsHandler } from './add-cart-items.handler';

@Controller()
@Consumes(ORDER_PLACEMENT_RPC_CONSUMER)
@UseFilters(RethrowRpcExceptionFilter)
export class AddCartItemsController {
  constructor(private readonly handler: AddCartItemsHandler) {}

  @MessagePattern(OrderPlacementRpc.AddCartItems)
  add(@Payload() req: AddCartItemsRequest, @Ctx() ctx: AmqpContext): Promise<AddCartItemsResult> {
    return answering(() => this.handler.execute(ctx.manager, req));
  }
}
