import { RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from './rpc-client';
import { answering, AnsweringOptions, asRpcError, ServiceError } from './service-error';

class QueryCheckError extends Error {}

function recorder(): { entries: Array<Record<string, unknown>>; error: (e: Record<string, unknown>) => void } {
  const entries: Array<Record<string, unknown>> = [];
  return { entries, error: (e) => entries.push(e) };
}

describe('ServiceError', () => {
  it('keeps its stable code, its RPC code, its details and its own name', () => {
    class CartGone extends ServiceError {
      constructor(id: string) {
        super('CART_NOT_FOUND', RpcErrorCode.NotFound, `cart ${id} not found`, { details: { cartId: id } });
      }
    }
    const e = new CartGone('c1');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('CartGone');
    expect(e.code).toBe('CART_NOT_FOUND');
    expect(e.rpcCode).toBe(RpcErrorCode.NotFound);
    expect(e.message).toBe('cart c1 not found');
    expect(e.details).toEqual({ cartId: 'c1' });
  });

  it('becomes an RpcError whose message starts with the code', () => {
    const rpc = new ServiceError('UNKNOWN_PRODUCTS', RpcErrorCode.Invalid, 'unknown product sku(s): A', { details: { skus: ['A'] } }).toRpcError();
    expect(rpc).toBeInstanceOf(RpcError);
    expect(rpc.code).toBe(RpcErrorCode.Invalid);
    expect(rpc.message).toBe('UNKNOWN_PRODUCTS: unknown product sku(s): A');
    expect(rpc.details).toEqual({ skus: ['A'] });
  });

  it('leaves the code out of the reply when asked to', () => {
    const rpc = new ServiceError('INVALID_CURSOR', RpcErrorCode.Invalid, 'cursor: is not a cursor this API returned', { codeInReply: false }).toRpcError();
    expect(rpc.message).toBe('cursor: is not a cursor this API returned');
    expect(rpc.details).toBeUndefined();
  });

  it('keeps its cause', () => {
    const cause = new Error('root');
    expect(new ServiceError('X', RpcErrorCode.Conflict, 'x', { cause }).cause).toBe(cause);
  });
});

describe('answering', () => {
  /** Answers a handler that fails with `error`. */
  const answeringFailure = (error: unknown, options: AnsweringOptions = {}) =>
    answering(async () => {
      throw error;
    }, options);

  it('returns what the handler returns', async () => {
    await expect(answering(async () => 42)).resolves.toBe(42);
  });

  it('turns a ServiceError into its RPC error reply, without logging it', async () => {
    const log = recorder();
    const failure = answeringFailure(new ServiceError('CART_NOT_OPEN', RpcErrorCode.Conflict, 'cart c1 is Placing'), { log });
    await expect(failure).rejects.toBeInstanceOf(RpcError);
    await expect(failure).rejects.toMatchObject({ code: RpcErrorCode.Conflict, message: 'CART_NOT_OPEN: cart c1 is Placing' });
    expect(log.entries).toEqual([]);
  });

  it('turns the listed validation failures into INVALID_REQUEST with their message', async () => {
    const log = recorder();
    const failure = answeringFailure(new QueryCheckError('plan.object: Foo is not stored here'), { invalid: [QueryCheckError], log });
    await expect(failure).rejects.toMatchObject({ code: RpcErrorCode.Invalid, message: 'plan.object: Foo is not stored here' });
    expect(log.entries).toEqual([]);
  });

  it('passes RpcErrors through untouched', async () => {
    const original = new RpcError(RpcErrorCode.NotFound, 'operation x not found');
    await expect(answeringFailure(original)).rejects.toBe(original);
  });

  it('rethrows an unexpected error for the transport and logs it as internal', async () => {
    const log = recorder();
    const boom = new TypeError('cannot read properties of undefined');
    await expect(answeringFailure(boom, { log })).rejects.toBe(boom);
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]).toMatchObject({ event: 'rpc-internal-error', code: RpcErrorCode.Internal, err: { name: 'TypeError', message: 'cannot read properties of undefined' } });
  });

  it('rethrows a transient failure without calling it a bug: the transport retries it', async () => {
    const log = recorder();
    const lost = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    await expect(answeringFailure(lost, { log })).rejects.toBe(lost);
    expect(log.entries).toEqual([]);
  });

  it('asRpcError leaves an unlisted plain error as it is', () => {
    const other = new Error('boom');
    expect(asRpcError(other, { log: recorder() })).toBe(other);
  });
});
