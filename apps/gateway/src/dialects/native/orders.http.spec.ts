import type { INestApplication } from '@nestjs/common';
import { OrderPlacementRpc, RpcErrorCode, TrackerRpc } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { devAccessToken, startInProcessGateway } from '../../../test/support/in-process-gateway';
import { DEV_CLIENT_ID } from '../../config';

const CART_ID = '5b0c7f5e-1d2a-4c3b-8e4f-6a7b8c9d0e1f';
const ORDER_ID = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d';

describe('gateway orders routes (in-process, fake order-placement and tracker)', () => {
  const rpc = { request: jest.fn() };
  let app: INestApplication;
  let base: string;
  let bearer: string;

  beforeAll(async () => {
    ({ app, base } = await startInProcessGateway({ rpc }));
    bearer = `Bearer ${await devAccessToken(base)}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => rpc.request.mockReset());

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { authorization: bearer, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('places a cart: order-placement names and announces the job, the gateway forwards exactly that to the tracker, then 202 with Location', async () => {
    const OPERATION_ID = '0b6f1c2e-8d4a-4e6f-9a1b-2c3d4e5f6a7b';
    const submitted = {
      operation: {
        operationId: OPERATION_ID,
        occurredAt: '2030-01-01T00:00:00.000Z',
        ownerId: DEV_CLIENT_ID,
        jobType: 'PlaceOrder',
        producer: 'order-placement',
        totalJobItems: 1052,
        referenceEntityId: ORDER_ID,
        referenceEntityType: 'Order',
      },
    };
    rpc.request.mockImplementation(async (key: string) => {
      if (key === OrderPlacementRpc.PlaceCart) return { orderId: ORDER_ID, operationId: OPERATION_ID, cartId: CART_ID, totalJobItems: 1052, submitted };
      if (key === TrackerRpc.RecordSubmitted) return {};
      throw new Error(`unexpected ${key}`);
    });
    const res = await post(`/api/v1/carts/${CART_ID}/place`, { allowRepricing: true });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { operationId: string; orderId: string };
    expect(body).toEqual({ operationId: OPERATION_ID, orderId: ORDER_ID });
    expect(res.headers.get('location')).toBe(`/api/v1/operations/${OPERATION_ID}`);
    const [[placeKey, place], [recordKey, record]] = rpc.request.mock.calls as Array<[string, Record<string, unknown>]>;
    expect(placeKey).toBe(OrderPlacementRpc.PlaceCart);
    expect(place).toMatchObject({ ownerId: DEV_CLIENT_ID, cartId: CART_ID, allowRepricing: true });
    // Without an Idempotency-Key the service names the job.
    expect(place.operationId).toBeUndefined();
    expect(recordKey).toBe(TrackerRpc.RecordSubmitted);
    expect(record).toEqual(submitted);
  });

  it('withdraws the held-back copies of a placement done while accepted once the tracker has recorded its events, and only then', async () => {
    const OPERATION_ID = '1c7a2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
    const events = [
      { messageId: '2d8b3e4f-5a6b-4c7d-9e8f-0a1b2c3d4e5f', routingKey: 'operation.started', payload: { operationId: OPERATION_ID, occurredAt: '2030-01-01T00:00:00.000Z' } },
      { messageId: '3e9c4f5a-6b7c-4d8e-8f9a-1b2c3d4e5f6a', routingKey: 'operation.finished', payload: { operationId: OPERATION_ID, occurredAt: '2030-01-01T00:00:00.000Z', status: 'Completed' } },
    ];
    const submitted = {
      operation: { operationId: OPERATION_ID, occurredAt: '2030-01-01T00:00:00.000Z', ownerId: DEV_CLIENT_ID, jobType: 'PlaceOrder', producer: 'order-placement', totalJobItems: 1 },
      events,
    };
    for (const [recordedStatus, withdraws] of [
      ['Completed', true],
      // The tracker refused the events (the caller may not report for the producer): the copies must still go out.
      ['Submitted', false],
    ] as const) {
      rpc.request.mockReset();
      rpc.request.mockImplementation(async (key: string) => {
        if (key === OrderPlacementRpc.PlaceCart) return { orderId: ORDER_ID, operationId: OPERATION_ID, cartId: CART_ID, totalJobItems: 1, submitted };
        if (key === TrackerRpc.RecordSubmitted) return { id: OPERATION_ID, ownerId: DEV_CLIENT_ID, status: recordedStatus, version: 2 };
        if (key === OrderPlacementRpc.WithdrawHeldEvents) return { withdrawn: 3 };
        throw new Error(`unexpected ${key}`);
      });
      const res = await post(`/api/v1/carts/${CART_ID}/place`, {});
      expect(res.status).toBe(202);
      await new Promise((r) => setTimeout(r, 50));
      const withdrawals = (rpc.request.mock.calls as Array<[string, unknown]>).filter(([key]) => key === OrderPlacementRpc.WithdrawHeldEvents);
      expect(withdrawals.map(([, body]) => body)).toEqual(withdraws ? [{ ownerId: DEV_CLIENT_ID, operationId: OPERATION_ID, messageIds: events.map((e) => e.messageId) }] : []);
    }
  });

  it('accepts thousands of items in one call (beyond the 100 kB default body limit)', async () => {
    rpc.request.mockResolvedValue({ cartId: CART_ID, added: 5000, addedMinorItems: 10000, cart: {} });
    const items = Array.from({ length: 5000 }, () => ({ sku: 'MAJ-0001', quantity: 1, minorItems: [{ sku: 'MIN-A', quantity: 1 }, { sku: 'MIN-B', quantity: 1 }] }));
    const res = await post(`/api/v1/carts/${CART_ID}/items`, { items });
    expect(res.status).toBe(201);
    expect(rpc.request.mock.calls[0][1].items).toHaveLength(5000);
  });

  it('names the field and rule of a bad item without calling order-placement', async () => {
    const res = await post(`/api/v1/carts/${CART_ID}/items`, { items: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 1.5, unitPrice: 3, minorItems: [{ sku: '' }] }] });
    expect(res.status).toBe(400);
    const fields = ((await res.json()) as { errors: Array<{ field: string; rule: string }> }).errors.map((e) => `${e.field}:${e.rule}`);
    expect(fields).toEqual(expect.arrayContaining(['items.1.quantity:isInt', 'items.1.unitPrice:matches', 'items.1.minorItems.0.sku:matches', 'items.1.minorItems.0.quantity:isInt']));
    expect(rpc.request).not.toHaveBeenCalled();
  });

  it('maps order-placement errors: unknown cart 404, cart being placed 409, empty cart 400', async () => {
    rpc.request.mockRejectedValueOnce(new RpcError(RpcErrorCode.NotFound, 'CART_NOT_FOUND: cart x not found'));
    expect((await post(`/api/v1/carts/${CART_ID}/place`, {})).status).toBe(404);
    rpc.request.mockRejectedValueOnce(new RpcError(RpcErrorCode.Conflict, 'CART_NOT_OPEN: cart x is Placing'));
    expect((await post(`/api/v1/carts/${CART_ID}/items`, { items: [{ sku: 'A', quantity: 1 }] })).status).toBe(409);
    rpc.request.mockRejectedValueOnce(new RpcError(RpcErrorCode.Invalid, 'CART_EMPTY: cart x has no major items or coupons to place'));
    const empty = await post(`/api/v1/carts/${CART_ID}/place`, {});
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { detail: string }).detail).toContain('CART_EMPTY');
  });

  it('answers 404 for an id that is not a UUID, without a round trip', async () => {
    const res = await fetch(`${base}/api/v1/orders/not-an-id`, { headers: { authorization: bearer } });
    expect(res.status).toBe(404);
    expect(rpc.request).not.toHaveBeenCalled();
  });

  it('reads an order page with the caller as owner', async () => {
    rpc.request.mockResolvedValue({ id: ORDER_ID, items: [], nextAfter: null });
    const res = await fetch(`${base}/api/v1/orders/${ORDER_ID}?limit=10&after=199`, { headers: { authorization: bearer } });
    expect(res.status).toBe(200);
    expect(rpc.request.mock.calls[0].slice(0, 2)).toEqual([OrderPlacementRpc.GetOrder, { ownerId: DEV_CLIENT_ID, orderId: ORDER_ID, limit: 10, after: 199 }]);
  });
});
