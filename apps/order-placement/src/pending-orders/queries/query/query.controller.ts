import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { OrderPlacementSoqlRpc, SoqlQueryRequest, SoqlQueryResponse } from '@asyncops/contracts';
import { AmqpContext, answering, Consumes, READ_ONLY_REQUEST, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { QueryPlanError } from '@asyncops/soql';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';
import { SummariesSoqlQuery } from './soql-query';

/** SOQL on PendingOrderSummary and OrderSummary, planned by the gateway and checked again here. */
@Controller()
@Consumes(ORDER_PLACEMENT_RPC_CONSUMER)
@UseFilters(RethrowRpcExceptionFilter)
export class SoqlQueryController {
  constructor(private readonly soql: SummariesSoqlQuery) {}

  @MessagePattern(OrderPlacementSoqlRpc.Query, READ_ONLY_REQUEST)
  async query(@Payload() req: SoqlQueryRequest, @Ctx() ctx: AmqpContext): Promise<SoqlQueryResponse> {
    return answering(() => this.soql.page(ctx.manager, req), { invalid: [QueryPlanError] });
  }
}
