import { RpcErrorCode } from '@asyncops/contracts';
import { asRpcError, RpcError, ServiceError } from '@asyncops/messaging';
import { CartNotFoundError, CartNotOpenError, InvalidCartItemsError, PlacementCancelledError, PricingForOrderFailedError, UnknownProductsError } from './errors';

describe('order-placement errors', () => {
  it('carry stable codes', () => {
    expect(new InvalidCartItemsError([{ cartItemId: 'x', sku: 'S', reason: 'product is inactive' }]).code).toBe('INVALID_CART_ITEMS');
    expect(new PricingForOrderFailedError([]).code).toBe('PRICING_FOR_ORDER_FAILED');
    expect(new PlacementCancelledError(1, 2).items).toEqual([]);
  });

  it('name the failing items in the message', () => {
    const e = new InvalidCartItemsError([{ cartItemId: 'ci-9', sku: 'BAD-1', reason: 'product is inactive' }]);
    expect(e.message).toBe('invalid cart items: BAD-1 (cart item ci-9): product is inactive');
    expect(e.items).toEqual([{ cartItemId: 'ci-9', sku: 'BAD-1', reason: 'product is inactive' }]);
  });

  it('are ServiceErrors and become typed RPC errors; other errors pass untouched', () => {
    expect(new CartNotFoundError('c1')).toBeInstanceOf(ServiceError);
    const nf = asRpcError(new CartNotFoundError('c1')) as RpcError;
    expect(nf).toBeInstanceOf(RpcError);
    expect(nf.code).toBe(RpcErrorCode.NotFound);
    expect((asRpcError(new CartNotOpenError('c1', 'Placing')) as RpcError).code).toBe(RpcErrorCode.Conflict);
    const unknown = asRpcError(new UnknownProductsError(['A'])) as RpcError;
    expect(unknown.message).toBe('UNKNOWN_PRODUCTS: unknown product sku(s): A');
    expect(unknown.details).toEqual({ skus: ['A'] });
    const other = new Error('boom');
    expect(asRpcError(other, { log: { error: () => undefined } })).toBe(other);
  });
});
