import { Injectable } from '@nestjs/common';
import {
  AddCartItemsRequest,
  AddCartItemsResult,
  CartView,
  CreateCartRequest,
  GetOrderRequest,
  OrderPlacementRpc,
  OrderView,
  PlaceCartRequest,
  PlaceCartResult,
  UpsertProductsRequest,
  UpsertProductsResult,
  WithdrawHeldEventsRequest,
  WithdrawHeldEventsResult,
} from '@asyncops/contracts';
import { GatewayRpc } from '../../core/errors/gateway-rpc';

/** Bulk writes of tens of thousands of rows take longer than a read; they get at least this long. */
const BULK_TIMEOUT_MS = 60_000;

/**
 * order-placement's request/reply API as the gateway uses it; the gateway never touches its
 * tables; GatewayRpc maps broker trouble to a 503.
 */
@Injectable()
export class OrderPlacementClient {
  constructor(private readonly rpc: GatewayRpc) {}

  upsertProducts(request: UpsertProductsRequest): Promise<UpsertProductsResult> {
    return this.rpc.call(OrderPlacementRpc.UpsertProducts, request, { minTimeoutMs: BULK_TIMEOUT_MS });
  }

  createCart(request: CreateCartRequest): Promise<CartView> {
    return this.rpc.call(OrderPlacementRpc.CreateCart, request);
  }

  /** `requestKey`: stable across retries of one logical request; the service then adds the items once. */
  addCartItems(request: AddCartItemsRequest, requestKey?: string): Promise<AddCartItemsResult> {
    return this.rpc.call(OrderPlacementRpc.AddCartItems, request, { minTimeoutMs: BULK_TIMEOUT_MS, requestKey });
  }

  getCart(ownerId: string, cartId: string): Promise<CartView> {
    return this.rpc.call(OrderPlacementRpc.GetCart, { ownerId, cartId });
  }

  placeCart(request: PlaceCartRequest): Promise<PlaceCartResult> {
    return this.rpc.call(OrderPlacementRpc.PlaceCart, request);
  }

  /** After the tracker recorded a placement's events: order-placement need not send their held-back copies. */
  withdrawHeldEvents(request: WithdrawHeldEventsRequest): Promise<WithdrawHeldEventsResult> {
    return this.rpc.call(OrderPlacementRpc.WithdrawHeldEvents, request);
  }

  getOrder(request: GetOrderRequest): Promise<OrderView> {
    return this.rpc.call(OrderPlacementRpc.GetOrder, request);
  }
}
