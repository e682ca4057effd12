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
import { GatewayRpc } from '../../core/errors/gateway-rpc';

/** order-placement's Zuora job API; typed RPC errors pass through, a broker failure is a 503. */
@Injectable()
export class ZuoraOrdersClient {
  constructor(private readonly rpc: GatewayRpc) {}

  submit(request: SubmitZuoraOrderRequest): Promise<SubmitZuoraOrderResult> {
    return this.rpc.call(ZuoraOrderRpc.SubmitOrder, request);
  }

  getOrder(request: GetZuoraOrderRequest): Promise<ZuoraOrderRecord> {
    return this.rpc.call(ZuoraReadRpc.GetOrder, request);
  }

  getSubscription(request: GetZuoraSubscriptionRequest): Promise<ZuoraSubscriptionRecord> {
    return this.rpc.call(ZuoraReadRpc.GetSubscription, request);
  }
}
