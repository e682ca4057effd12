import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { CartView, CreateCartRequest, OrderPlacementRpc } from '@asyncops/contracts';
import { AmqpContext, answering, Consumes, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';
import { CreateCartHandler } from './create-cart.handler';

@Controller()
@Consumes(ORDER_PLACEMENT_RPC_CONSUMER)
@UseFilters(RethrowRpcExceptionFilter)
export class CreateCartController {
  constructor(private readonly handler: CreateCartHandler) {}

  @MessagePattern(OrderPlacementRpc.CreateCart)
  create(@Payload() req: CreateCartRequest, @Ctx() ctx: AmqpContext): Promise<CartView> {
    return answering(() => this.handler.execute(ctx.manager, req));
  }
}
