import { Injectable } from '@nestjs/common';
import {
  ListOrderSummariesRequest,
  ListOrderSummariesResult,
  OrderSummaryRpc,
  OrderSummaryView,
  QueryOrderSummariesRequest,
  QueryOrderSummariesResult,
} from '@asyncops/contracts';
import { GatewayRpc } from '../../errors/gateway-rpc';

/** order-placement's OrderSummary reads; typed RPC errors pass through, broker failures are 503s. */
@Injectable()
export class OrderSummariesClient {
  constructor(private readonly rpc: GatewayRpc) {}

  get(ownerId: string, number: number): Promise<OrderSummaryView> {
    return this.rpc.call(OrderSummaryRpc.Get, { ownerId, number });
  }

  list(request: ListOrderSummariesRequest): Promise<ListOrderSummariesResult> {
    return this.rpc.call(OrderSummaryRpc.List, request);
  }

  query(request: QueryOrderSummariesRequest): Promise<QueryOrderSummariesResult> {
    return this.rpc.call(OrderSummaryRpc.Query, request);
  }
}
