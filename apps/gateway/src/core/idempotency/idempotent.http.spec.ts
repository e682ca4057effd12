import type { INestApplication } from '@nestjs/common';
import { OrderPlacementRpc, TrackerRpc } from '@asyncops/contracts';
import { devAccessToken, startInProcessGateway } from '../../../test/support/in-process-gateway';
import { DEV_CLIENT_ID } from '../../config';
import { decide, IdempotencyRecord } from './idempotency-decision';
import { ClaimRequest, IdempotencyStore } from './idempotency.store';

/** The store's contract in memory, with the database's clock replaced by the process's. */
class FakeStore {
  readonly records = new Map<string, IdempotencyRecord>();
  readonly ready = true;
  private id = (clientId: string, key: string) => `${clientId}\n${key}`;

  async insert(r: ClaimRequest): Promise<boolean> {
    if (this.records.has(this.id(r.clientId, r.key))) return false;
    this.records.set(this.id(r.clientId, r.key), {
      requestHash: r.requestHash,
      state: 'running',
      executionId: r.newExecutionId,
      responseStatus: null,
      responseBody: null,
      lockedUntil: new Date(Date.now() + r.leaseSeconds * 1000),
      expiresAt: new Date(Date.now() + r.ttlSeconds * 1000),
    });
    return true;
  }

  async find(clientId: string, key: string): Promise<{ record: IdempotencyRecord; now: Date } | null> {
    const record = this.records.get(this.id(clientId, key));
    return record ? { record: { ...record }, now: new Date() } : null;
  }

  async takeOver(r: ClaimRequest): Promise<string | null> {
    const rec = this.records.get(this.id(r.clientId, r.key));
    if (!rec || decide(rec, r.requestHash, new Date()).kind !== 'execute') return null;
    Object.assign(rec, { state: 'running', lockedUntil: new Date(Date.now() + r.leaseSeconds * 1000) });
    return rec.executionId;
  }

  async complete(clientId: string, key: string, executionId: string, status: number, body: unknown): Promise<void> {
    const rec = this.records.get(this.id(clientId, key));
    // Through JSON, as the jsonb column does.
    if (rec?.executionId === executionId) Object.assign(rec, { state: 'completed', responseStatus: status, responseBody: JSON.parse(JSON.stringify(body ?? null)) });
  }

  async fail(clientId: string, key: string, executionId: string): Promise<void> {
    const rec = this.records.get(this.id(clientId, key));
    if (rec?.executionId === executionId) rec.state = 'failed';
  }

  async sweep(): Promise<number> {
    return 0;
  }
}

describe('@Idempotent() on the gateway routes (in-process, fake store and services)', () => {
  const rpc = { request: jest.fn() };
  const store = new FakeStore();
  let app: INestApplication;
  let base: string;
  let bearer: string;

  beforeAll(async () => {
    ({ app, base } = await startInProcessGateway({
      rpc,
      beforeListen: (nest) => {
        const real = nest.get(IdempotencyStore);
        for (const method of ['insert', 'find', 'takeOver', 'complete', 'fail', 'sweep'] as const) Object.assign(real, { [method]: store[method].bind(store) });
        Object.defineProperty(real, 'ready', { get: () => true });
      },
    }));
    bearer = `Bearer ${await devAccessToken(base)}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => {
    rpc.request.mockReset();
    rpc.request.mockImplementation(async (key: string, req: { operationId: string }) => {
      if (key === TrackerRpc.CreateOperation) return { id: req.operationId, status: 'Completed', jobType: 'PlaceOrder' };
      throw new Error(`unexpected ${key}`);
    });
  });

  const post = (path: string, body: unknown, key?: string) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: bearer, 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
      body: JSON.stringify(body),
    });

  it('runs the first request, replays it to a retry with the same status, body and Location, and does the work once', async () => {
    const first = await post('/api/v1/operations', { jobType: 'PlaceOrder', totalJobItems: 3 }, 'native-1');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const body = (await first.json()) as { id: string };
    const retry = await post('/api/v1/operations', { totalJobItems: 3, jobType: 'PlaceOrder' }, 'native-1');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(`/api/v1/operations/${body.id}`);
    expect(await retry.json()).toEqual(body);
    expect(rpc.request).toHaveBeenCalledTimes(1);
    // The operation is named by the key's execution id, so a re-run after a failure names the same one.
    expect(body.id).toBe(store.records.get(`${DEV_CLIENT_ID}\nnative-1`)?.executionId);
  });

  it('runs requests without a key every time', async () => {
    await post('/api/v1/operations', { jobType: 'PlaceOrder' });
    await post('/api/v1/operations', { jobType: 'PlaceOrder' });
    expect(rpc.request).toHaveBeenCalledTimes(2);
  });

  it('answers 422, 409 and 400 as native problems', async () => {
    await post('/api/v1/operations', { jobType: 'PlaceOrder' }, 'native-2');
    const reused = await post('/api/v1/operations', { jobType: 'PlaceOrder', totalJobItems: 9 }, 'native-2');
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toContain('application/problem+json');
    expect(await reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 });

    const long = await post('/api/v1/operations', { jobType: 'PlaceOrder' }, 'k'.repeat(256));
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID' });
    expect(rpc.request).toHaveBeenCalledTimes(1);
  });

  it('re-runs a request whose first attempt failed, under the same operation id', async () => {
    rpc.request.mockRejectedValueOnce(new Error('tracker down'));
    expect((await post('/api/v1/operations', { jobType: 'PlaceOrder' }, 'native-3')).status).toBeGreaterThanOrEqual(500);
    const again = await post('/api/v1/operations', { jobType: 'PlaceOrder' }, 'native-3');
    expect(again.status).toBe(201);
    const [[, firstTry], [, secondTry]] = rpc.request.mock.calls as Array<[string, { operationId: string }]>;
    expect(secondTry.operationId).toBe(firstTry.operationId);
  });

  it('adds cart items once per key: a replay answers without a call, a re-run after a failure repeats the same request id', async () => {
    const cartId = '4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
    const added = { cartId, added: 1, addedMinorItems: 0, cart: { id: cartId } };
    rpc.request.mockRejectedValueOnce(new Error('broker away')).mockResolvedValue(added);
    const items = { items: [{ sku: 'SKU-1', quantity: 2 }] };
    expect((await post(`/api/v1/carts/${cartId}/items`, items, 'items-1')).status).toBe(503);
    const again = await post(`/api/v1/carts/${cartId}/items`, items, 'items-1');
    expect(again.status).toBe(201);
    const replay = await post(`/api/v1/carts/${cartId}/items`, items, 'items-1');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(added);
    const calls = rpc.request.mock.calls as Array<[string, unknown, number, { messageId?: string }]>;
    expect(calls.map(([key]) => key)).toEqual([OrderPlacementRpc.AddCartItems, OrderPlacementRpc.AddCartItems]);
    // Both attempts carry the same message id: order-placement answers a repeat from its reply store.
    const executionId = store.records.get(`${DEV_CLIENT_ID}\nitems-1`)?.executionId;
    expect(calls.map(([, , , options]) => options.messageId)).toEqual([`${OrderPlacementRpc.AddCartItems}:${executionId}`, `${OrderPlacementRpc.AddCartItems}:${executionId}`]);
  });

  it("answers in Voucherify's shape on its starters", async () => {
    const inProgress = await post('/v1/vouchers/import', [{ code: 'A' }], 'vf-1');
    // The fake RPC knows no importer, so the attempt fails and frees the key; hold it as a running request would.
    expect(inProgress.status).toBeGreaterThanOrEqual(400);
    const rec = store.records.get(`${DEV_CLIENT_ID}\nvf-1`);
    if (!rec) throw new Error('the first attempt left no record');
    Object.assign(rec, { state: 'running', lockedUntil: new Date(Date.now() + 60_000) });
    const busy = await post('/v1/vouchers/import', [{ code: 'A' }], 'vf-1');
    expect(busy.status).toBe(409);
    expect(busy.headers.get('retry-after')).toBeTruthy();
    expect(await busy.json()).toMatchObject({ code: 409, key: 'duplicate_found', request_id: expect.any(String) });
    const reused = await post('/v1/vouchers/import', [{ code: 'B' }], 'vf-1');
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: 422, message: expect.any(String), details: expect.stringContaining('idempotency key') });
  });

  it("answers in Salesforce's shape on PendingOrderSummary create and the place actions", async () => {
    const bad = await post('/services/data/v60.0/sobjects/PendingOrderSummary', {}, 'x'.repeat(300));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual([expect.objectContaining({ errorCode: 'BAD_REQUEST', message: expect.stringContaining('idempotency key') })]);
    const place = await post('/services/data/v60.0/commerce/quotes/actions/place', {}, 'y'.repeat(300));
    expect(place.status).toBe(400);
  });

  it('marks every authenticated answer with the rate limit headers', async () => {
    const res = await post('/api/v1/operations', { jobType: 'PlaceOrder' });
    expect(res.headers.get('x-rate-limit-limit')).toBe('1000');
    expect(Number(res.headers.get('x-rate-limit-remaining'))).toBeGreaterThan(900);
    const health = await fetch(`${base}/health/live`);
    expect(health.headers.get('x-rate-limit-limit')).toBeNull();
  });
});
