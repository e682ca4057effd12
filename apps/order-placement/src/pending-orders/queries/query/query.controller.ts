import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { OrderPlacementSoqlRpc, SoqlQueryRequest, SoqlQueryResponse } from '@asyncops/contracts';
import { AmqpContext, answering, Consumes, READ_ONLY_REQUEST, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { ORDER_SUMMARY, orderSummaryStorage, PENDING_ORDER_SUMMARY_OBJECT, pendingOrderSummaryStorage, QueryPlanError, SoqlExecutor } from '@asyncops/soql';
import { SCHEMA } from '../../../orders/order-row';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';

/** The objects this service answers SOQL for, each under its own rules (see their descriptions). */
const SOQL = new SoqlExecutor([
  { description: PENDING_ORDER_SUMMARY_OBJECT, storage: pendingOrderSummaryStorage(SCHEMA) },
  { description: ORDER_SUMMARY, storage: orderSummaryStorage(SCHEMA) },
]);

/** SOQL on PendingOrderSummary and OrderSummary, planned by the gateway and checked again here. */
@Controller()
@Consumes(ORDER_PLACEMENT_RPC_CONSUMER)
@UseFilters(RethrowRpcExceptionFilter)
export class SoqlQueryController {
  @MessagePattern(OrderPlacementSoqlRpc.Query, READ_ONLY_REQUEST)
  async query(@Payload() req: SoqlQueryRequest, @Ctx() ctx: AmqpContext): Promise<SoqlQueryResponse> {
    return answering(() => SOQL.page((sql, values) => ctx.manager.query(sql, values), req), { invalid: [QueryPlanError] });
  }
}
