import { RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';

/**
 * Every error order-placement raises on purpose. `code` is stable: it ends up in the order's
 * error_code, the order.failed event and the tracker's errors[].key, and clients branch on it.
 */
export abstract class OrderPlacementError extends Error {
  abstract readonly code: string;
  /** How a request/reply caller learns of it. */
  abstract readonly rpcCode: RpcErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  toRpcError(): RpcError {
    return new RpcError(this.rpcCode, `${this.code}: ${this.message}`);
  }
}

export class CartNotFoundError extends OrderPlacementError {
  readonly code = 'CART_NOT_FOUND';
  readonly rpcCode = RpcErrorCode.NotFound;
  constructor(cartId: string) {
    super(`cart ${cartId} not found`);
  }
}

export class OrderNotFoundError extends OrderPlacementError {
  readonly code = 'ORDER_NOT_FOUND';
  readonly rpcCode = RpcErrorCode.NotFound;
  constructor(orderId: string) {
    super(`order ${orderId} not found`);
  }
}

export class CartNotOpenError extends OrderPlacementError {
  readonly code = 'CART_NOT_OPEN';
  readonly rpcCode = RpcErrorCode.Conflict;
  constructor(cartId: string, status: string) {
    super(`cart ${cartId} is ${status}; only an Open cart can be changed or placed`);
  }
}

export class EmptyCartError extends OrderPlacementError {
  readonly code = 'CART_EMPTY';
  readonly rpcCode = RpcErrorCode.Invalid;
  constructor(cartId: string) {
    super(`cart ${cartId} has no major items or coupons to place`);
  }
}

export class UnknownProductsError extends OrderPlacementError {
  readonly code = 'UNKNOWN_PRODUCTS';
  readonly rpcCode = RpcErrorCode.Invalid;
  constructor(readonly skus: string[]) {
    super(`unknown product sku(s): ${skus.slice(0, 20).join(', ')}${skus.length > 20 ? ` and ${skus.length - 20} more` : ''}`);
  }
}

export class DuplicateSkuError extends OrderPlacementError {
  readonly code = 'DUPLICATE_SKU';
  readonly rpcCode = RpcErrorCode.Invalid;
  constructor(sku: string) {
    super(`products: sku ${sku} appears more than once in the request`);
  }
}

/** A request reuses an id (an operation id chosen by the caller) that belongs to different work. */
export class ConflictingRequestError extends OrderPlacementError {
  readonly code = 'CONFLICTING_REQUEST';
  readonly rpcCode = RpcErrorCode.Conflict;
}

/** Raised by a batch; the placement ends on the error path. */
export abstract class PlacementFailure extends OrderPlacementError {
  readonly rpcCode = RpcErrorCode.Invalid;
  /** The cart items the failure is about, for the tracker's per-item failures. */
  abstract readonly items: ReadonlyArray<{ cartItemId: string; sku: string; reason: string }>;
}

export interface InvalidItem {
  cartItemId: string;
  sku: string;
  reason: string;
}

/** checkForInvalidItems found items that cannot become order items. */
export class InvalidCartItemsError extends PlacementFailure {
  readonly code = 'INVALID_CART_ITEMS';
  constructor(readonly items: InvalidItem[]) {
    super(`invalid cart items: ${describeItems(items)}`);
  }
}

/** Seed 004's PRICING_FOR_ORDER_FAILED: repricing a stale cart did not yield a price. */
export class PricingForOrderFailedError extends PlacementFailure {
  readonly code = 'PRICING_FOR_ORDER_FAILED';
  constructor(readonly items: InvalidItem[]) {
    super(`pricing the order failed: ${describeItems(items)}`);
  }
}

/** The cart's prices predate the price book and the placement did not allow repricing. */
export class StaleCartPricesError extends PlacementFailure {
  readonly code = 'CART_PRICES_STALE';
  constructor(readonly items: InvalidItem[]) {
    super(`cart prices are older than the price book and repricing was not allowed: ${describeItems(items)}`);
  }
}

/** A batch that failed for a reason outside the cart (after its retries were used up). */
export class PlacementAbortedError extends PlacementFailure {
  readonly code = 'PLACEMENT_ABORTED';
  readonly items: InvalidItem[] = [];
  constructor(reason: string) {
    super(reason);
  }
}

/** The client asked to cancel: the placement stops at the next batch boundary on the error path. */
export class PlacementCancelledError extends PlacementFailure {
  readonly code = 'PLACEMENT_CANCELLED';
  readonly items: InvalidItem[] = [];
  constructor(itemsPlaced: number, total: number) {
    super(`the placement was cancelled at the client's request after ${itemsPlaced} of ${total} item(s); the placed items stay on the failed order`);
  }
}

function describeItems(items: InvalidItem[]): string {
  const shown = items.slice(0, 10).map((i) => `${i.sku} (cart item ${i.cartItemId}): ${i.reason}`);
  return shown.join('; ') + (items.length > 10 ? `; and ${items.length - 10} more` : '');
}

/** Turns domain errors into RPC error replies; anything else stays an internal failure. */
export function asRpcError(e: unknown): unknown {
  return e instanceof OrderPlacementError ? e.toRpcError() : e;
}
