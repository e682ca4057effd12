import { Injectable } from '@nestjs/common';
import { PlaceSalesTransactionRequest, PlaceSalesTransactionResult, SalesTransactionRpc } from '@asyncops/contracts';
import { RpcClient, RpcError } from '@asyncops/messaging';
import { GatewayConfig } from '../../config';
import { ServiceUnavailableError } from '../../core/errors/gateway-errors';

/** order-placement's Revenue Cloud API; typed RPC errors pass through, a broker failure is a 503. */
@Injectable()
export class SalesTransactionsClient {
  constructor(
    private readonly rpc: RpcClient,
    private readonly config: GatewayConfig,
  ) {}

  /** `requestKey`: stable across retries of one logical request; the service then places once. */
  async place(request: PlaceSalesTransactionRequest, requestKey?: string): Promise<PlaceSalesTransactionResult> {
    try {
      return await this.rpc.request(SalesTransactionRpc.Place, request, this.config.RPC_TIMEOUT_MS, { messageId: requestKey && `${SalesTransactionRpc.Place}:${requestKey}` });
    } catch (e) {
      if (e instanceof RpcError) throw e;
      throw new ServiceUnavailableError(this.config.RETRY_AFTER_SECONDS, e);
    }
  }
}
