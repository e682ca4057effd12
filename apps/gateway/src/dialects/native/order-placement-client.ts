import { Injectable } from '@nestjs/common';
import {
  AddCartItemsRequest,
  AddCartItemsResult,
  CartView,
  CreateCartRequest,
  GetOrderRequest,
  OrderPlacementRpc,
  OrderView,
  PayloadOf,
  PlaceCartRequest,
  PlaceCartResult,
  RpcResponses,
  RpcRoutingKey,
  UpsertProductsRequest,
  UpsertProductsResult,
} from '@asyncops/contracts';
import { RpcClient, RpcError } from '@asyncops/messaging';
import { GatewayConfig } from '../../config';
import { ServiceUnavailableError } from '../../core/errors/gateway-errors';

/** Bulk writes of tens of thousands of rows take longer than a read; they get at least this long. */
const BULK_TIMEOUT_MS = 60_000;

/**
 * order-placement's request/reply API as the gateway uses it; the gateway never touches its
 * tables. Error handling as in TrackerClient: typed RPC errors pass through, the rest is a 503.
 */
@Injectable()
export class OrderPlacementClient {
  constructor(
    private readonly rpc: RpcClient,
    private readonly config: GatewayConfig,
  ) {}

  upsertProducts(request: UpsertProductsRequest): Promise<UpsertProductsResult> {
    return this.call(OrderPlacementRpc.UpsertProducts, request, BULK_TIMEOUT_MS);
  }

  createCart(request: CreateCartRequest): Promise<CartView> {
    return this.call(OrderPlacementRpc.CreateCart, request);
  }

  /** `requestKey`: stable across retries of one logical request; the service then adds the items once. */
  addCartItems(request: AddCartItemsRequest, requestKey?: string): Promise<AddCartItemsResult> {
    return this.call(OrderPlacementRpc.AddCartItems, request, BULK_TIMEOUT_MS, requestKey);
  }

  getCart(ownerId: string, cartId: string): Promise<CartView> {
    return this.call(OrderPlacementRpc.GetCart, { ownerId, cartId });
  }

  placeCart(request: PlaceCartRequest): Promise<PlaceCartResult> {
    return this.call(OrderPlacementRpc.PlaceCart, request);
  }

  getOrder(request: GetOrderRequest): Promise<OrderView> {
    return this.call(OrderPlacementRpc.GetOrder, request);
  }

  private async call<K extends RpcRoutingKey>(key: K, payload: PayloadOf<K>, minTimeoutMs = 0, requestKey?: string): Promise<RpcResponses[K]> {
    try {
      return await this.rpc.request(key, payload, Math.max(this.config.RPC_TIMEOUT_MS, minTimeoutMs), { messageId: requestKey && `${key}:${requestKey}` });
    } catch (e) {
      if (e instanceof RpcError) throw e;
      throw new ServiceUnavailableError(this.config.RETRY_AFTER_SECONDS, e);
    }
  }
}
