import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { OrderPlacementSoqlRpc, SoqlQueryRequest, SoqlQueryResponse } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController, READ_ONLY_REQUEST } from '@asyncops/messaging';
import { QueryPlanError } from '@asyncops/soql';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';
import { SummariesSoqlQuery } from './soql-query';

/** SOQL on PendingOrderSummary and OrderSummary, planned by the gateway and checked again here. */
@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class SoqlQueryController {
  constructor(private readonly soql: SummariesSoqlQuery) {}

  @MessagePattern(OrderPlacementSoqlRpc.Query, READ_ONLY_REQUEST)
  async query(@Payload() req: SoqlQueryRequest, @Ctx() ctx: AmqpContext): Promise<SoqlQueryResponse> {
    return answering(() => this.soql.page(ctx.manager, req), { invalid: [QueryPlanError] });
  }
}
