import { Injectable } from '@nestjs/common';
import { PlaceSalesTransactionRequest, PlaceSalesTransactionResult, SalesTransactionRpc } from '@asyncops/contracts';
import { GatewayRpc } from '../../core/errors/gateway-rpc';

/** order-placement's Revenue Cloud API; typed RPC errors pass through, a broker failure is a 503. */
@Injectable()
export class SalesTransactionsClient {
  constructor(private readonly rpc: GatewayRpc) {}

  /** `requestKey`: stable across retries of one logical request; the service then places once. */
  place(request: PlaceSalesTransactionRequest, requestKey?: string): Promise<PlaceSalesTransactionResult> {
    return this.rpc.call(SalesTransactionRpc.Place, request, { requestKey });
  }
}
