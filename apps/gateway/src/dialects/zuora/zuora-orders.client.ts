import { Injectable } from '@nestjs/common';
import {
  GetZuoraOrderRequest,
  GetZuoraSubscriptionRequest,
  SubmitZuoraOrderRequest,
  SubmitZuoraOrderResult,
  ZuoraOrderRecord,
  ZuoraOrderRpc,
  ZuoraReadRpc,
  ZuoraSubscriptionRecord,
} from '@asyncops/contracts';
import { RpcClient, RpcError } from '@asyncops/messaging';
import { GatewayConfig } from '../../config';
import { ServiceUnavailableError } from '../../core/errors/gateway-errors';

/** order-placement's Zuora job API; typed RPC errors pass through, a broker failure is a 503. */
@Injectable()
export class ZuoraOrdersClient {
  constructor(
    private readonly rpc: RpcClient,
    private readonly config: GatewayConfig,
  ) {}

  async submit(request: SubmitZuoraOrderRequest): Promise<SubmitZuoraOrderResult> {
    try {
      return await this.rpc.request(ZuoraOrderRpc.SubmitOrder, request, this.config.RPC_TIMEOUT_MS);
    } catch (e) {
      if (e instanceof RpcError) throw e;
      throw new ServiceUnavailableError(this.config.RETRY_AFTER_SECONDS, e);
    }
  }

  async getOrder(request: GetZuoraOrderRequest): Promise<ZuoraOrderRecord> {
    try {
      return await this.rpc.request(ZuoraReadRpc.GetOrder, request, this.config.RPC_TIMEOUT_MS);
    } catch (e) {
      if (e instanceof RpcError) throw e;
      throw new ServiceUnavailableError(this.config.RETRY_AFTER_SECONDS, e);
    }
  }

  async getSubscription(request: GetZuoraSubscriptionRequest): Promise<ZuoraSubscriptionRecord> {
    try {
      return await this.rpc.request(ZuoraReadRpc.GetSubscription, request, this.config.RPC_TIMEOUT_MS);
    } catch (e) {
      if (e instanceof RpcError) throw e;
      throw new ServiceUnavailableError(this.config.RETRY_AFTER_SECONDS, e);
    }
  }
}
