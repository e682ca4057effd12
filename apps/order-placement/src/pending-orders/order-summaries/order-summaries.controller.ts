import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { GetOrderSummaryRequest, ListOrderSummariesRequest, ListOrderSummariesResult, OrderSummaryRpc, OrderSummaryView } from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../queues';
import { OrderSummariesQuery } from './order-summaries.query';

@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class OrderSummariesController {
  constructor(private readonly summaries: OrderSummariesQuery) {}

  @MessagePattern(OrderSummaryRpc.Get)
  get(@Payload() req: GetOrderSummaryRequest, @Ctx() ctx: AmqpContext): Promise<OrderSummaryView> {
    return this.summaries.get(ctx.manager, req);
  }

  @MessagePattern(OrderSummaryRpc.List)
  list(@Payload() req: ListOrderSummariesRequest, @Ctx() ctx: AmqpContext): Promise<ListOrderSummariesResult> {
    return this.summaries.list(ctx.manager, req);
  }
}
