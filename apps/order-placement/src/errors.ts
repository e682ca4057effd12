import { RpcErrorCode } from '@asyncops/contracts';
import { ServiceError } from '@asyncops/messaging';

/*
 * Every error order-placement raises on purpose is a ServiceError: its `code` ends up in the
 * order's error_code, the order.failed event and the tracker's errors[].key, and clients branch on it.
 */

export class CartNotFoundError extends ServiceError {
  constructor(cartId: string) {
    super('CART_NOT_FOUND', RpcErrorCode.NotFound, `cart ${cartId} not found`);
  }
}

export class OrderNotFoundError extends ServiceError {
  constructor(orderId: string) {
    super('ORDER_NOT_FOUND', RpcErrorCode.NotFound, `order ${orderId} not found`);
  }
}

export class CartNotOpenError extends ServiceError {
  constructor(cartId: string, status: string) {
    super('CART_NOT_OPEN', RpcErrorCode.Conflict, `cart ${cartId} is ${status}; only an Open cart can be changed or placed`);
  }
}

export class EmptyCartError extends ServiceError {
  constructor(cartId: string) {
    super('CART_EMPTY', RpcErrorCode.Invalid, `cart ${cartId} has no major items or coupons to place`);
  }
}

export class UnknownProductsError extends ServiceError {
  constructor(readonly skus: string[]) {
    super('UNKNOWN_PRODUCTS', RpcErrorCode.Invalid, `unknown product sku(s): ${skus.slice(0, 20).join(', ')}${skus.length > 20 ? ` and ${skus.length - 20} more` : ''}`, {
      details: { skus: skus.slice(0, 1000) },
    });
  }
}

export class DuplicateSkuError extends ServiceError {
  constructor(sku: string) {
    super('DUPLICATE_SKU', RpcErrorCode.Invalid, `products: sku ${sku} appears more than once in the request`);
  }
}

/** A request reuses an id (an operation id chosen by the caller) that belongs to different work. */
export class ConflictingRequestError extends ServiceError {
  constructor(message: string) {
    super('CONFLICTING_REQUEST', RpcErrorCode.Conflict, message);
  }
}

export interface InvalidItem {
  cartItemId: string;
  sku: string;
  reason: string;
}

/** Raised by a batch; the placement ends on the error path. */
export abstract class PlacementFailure extends ServiceError {
  constructor(
    code: string,
    message: string,
    /** The cart items the failure is about, for the tracker's per-item failures. */
    readonly items: ReadonlyArray<InvalidItem>,
  ) {
    super(code, RpcErrorCode.Invalid, message);
  }
}

/** checkForInvalidItems found items that cannot become order items. */
export class InvalidCartItemsError extends PlacementFailure {
  constructor(items: InvalidItem[]) {
    super('INVALID_CART_ITEMS', `invalid cart items: ${describeItems(items)}`, items);
  }
}

/** Seed 004's PRICING_FOR_ORDER_FAILED: repricing a stale cart did not yield a price. */
export class PricingForOrderFailedError extends PlacementFailure {
  constructor(items: InvalidItem[]) {
    super('PRICING_FOR_ORDER_FAILED', `pricing the order failed: ${describeItems(items)}`, items);
  }
}

/** The cart's prices predate the price book and the placement did not allow repricing. */
export class StaleCartPricesError extends PlacementFailure {
  constructor(items: InvalidItem[]) {
    super('CART_PRICES_STALE', `cart prices are older than the price book and repricing was not allowed: ${describeItems(items)}`, items);
  }
}

/** A batch that failed for a reason outside the cart (after its retries were used up). */
export class PlacementAbortedError extends PlacementFailure {
  constructor(reason: string) {
    super('PLACEMENT_ABORTED', reason, []);
  }
}

/** The client asked to cancel: the placement stops at the next batch boundary on the error path. */
export class PlacementCancelledError extends PlacementFailure {
  constructor(itemsPlaced: number, total: number) {
    super('PLACEMENT_CANCELLED', `the placement was cancelled at the client's request after ${itemsPlaced} of ${total} item(s); the placed items stay on the failed order`, []);
  }
}

function describeItems(items: InvalidItem[]): string {
  const shown = items.slice(0, 10).map((i) => `${i.sku} (cart item ${i.cartItemId}): ${i.reason}`);
  return shown.join('; ') + (items.length > 10 ? `; and ${items.length - 10} more` : '');
}
