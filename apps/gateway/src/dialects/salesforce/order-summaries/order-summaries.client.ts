import { Injectable } from '@nestjs/common';
import {
  ListOrderSummariesRequest,
  ListOrderSummariesResult,
  OrderPlacementSoqlRpc,
  OrderSummaryRpc,
  OrderSummaryView,
  PayloadOf,
  RpcResponses,
  RpcRoutingKey,
  SoqlQueryRequest,
  SoqlQueryResponse,
} from '@asyncops/contracts';
import { RpcClient, RpcError } from '@asyncops/messaging';
import { GatewayConfig } from '../../../config';
import { ServiceUnavailableError } from '../../../core/errors/gateway-errors';

/** order-placement's OrderSummary reads and its SOQL; typed RPC errors pass through, broker failures are 503s. */
@Injectable()
export class OrderSummariesClient {
  constructor(
    private readonly rpc: RpcClient,
    private readonly config: GatewayConfig,
  ) {}

  get(ownerId: string, number: number): Promise<OrderSummaryView> {
    return this.call(OrderSummaryRpc.Get, { ownerId, number });
  }

  list(request: ListOrderSummariesRequest): Promise<ListOrderSummariesResult> {
    return this.call(OrderSummaryRpc.List, request);
  }

  /** SOQL on the objects order-placement owns: OrderSummary and PendingOrderSummary. */
  query(request: SoqlQueryRequest): Promise<SoqlQueryResponse> {
    return this.call(OrderPlacementSoqlRpc.Query, request);
  }

  private async call<K extends RpcRoutingKey>(key: K, payload: PayloadOf<K>): Promise<RpcResponses[K]> {
    try {
      return await this.rpc.request(key, payload, this.config.RPC_TIMEOUT_MS);
    } catch (e) {
      if (e instanceof RpcError) throw e;
      throw new ServiceUnavailableError(this.config.RETRY_AFTER_SECONDS, e);
    }
  }
}
