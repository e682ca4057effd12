import { Injectable } from '@nestjs/common';
import { ListOrderSummariesRequest, ListOrderSummariesResult, OrderPlacementSoqlRpc, OrderSummaryRpc, OrderSummaryView, SoqlQueryRequest, SoqlQueryResponse } from '@asyncops/contracts';
import { GatewayRpc } from '../../../core/errors/gateway-rpc';

/** order-placement's OrderSummary reads and its SOQL; typed RPC errors pass through, broker failures are 503s. */
@Injectable()
export class OrderSummariesClient {
  constructor(private readonly rpc: GatewayRpc) {}

  get(ownerId: string, number: number): Promise<OrderSummaryView> {
    return this.rpc.call(OrderSummaryRpc.Get, { ownerId, number });
  }

  list(request: ListOrderSummariesRequest): Promise<ListOrderSummariesResult> {
    return this.rpc.call(OrderSummaryRpc.List, request);
  }

  /** SOQL on the objects order-placement owns: OrderSummary and PendingOrderSummary. */
  query(request: SoqlQueryRequest): Promise<SoqlQueryResponse> {
    return this.rpc.call(OrderPlacementSoqlRpc.Query, request);
  }
}
