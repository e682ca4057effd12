import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { OrderPlacementRpc, UpsertProductsRequest, UpsertProductsResult } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../queues';
import { UpsertProductsHandler } from './commands/upsert-products/upsert-products.handler';

@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class UpsertProductsController {
  constructor(private readonly handler: UpsertProductsHandler) {}

  @MessagePattern(OrderPlacementRpc.UpsertProducts)
  upsert(@Payload() req: UpsertProductsRequest, @Ctx() ctx: AmqpContext): Promise<UpsertProductsResult> {
    return answering(() => this.handler.execute(ctx.manager, req));
  }
}
