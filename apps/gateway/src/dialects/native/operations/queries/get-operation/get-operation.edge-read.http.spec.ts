import type { INestApplication } from '@nestjs/common';
import { OperationView, RpcErrorCode } from '@asyncops/contracts';
import { AmqpConnection, RpcError } from '@asyncops/messaging';
import { operationViewFixture } from '@asyncops/testing';
import { answerOf, clientsEnv, LIMITED, LIMITED_OVERRIDE, OTHER, SHOP, watchEdgeReads } from '../../../../../../test/support/edge-read';
import { startInProcessGateway } from '../../../../../../test/support/in-process-gateway';
import { RetryAfterInterceptor } from '../../retry-after.interceptor';

const OP_ID = '7d1f7c3e-2b4a-4f7e-9c1d-3a5b6c7d8e9f';

function view(overrides: Partial<OperationView> = {}): OperationView {
  return operationViewFixture({ id: OP_ID, ownerId: SHOP.id, producer: SHOP.id, ...overrides });
}

/**
 * The read edge against the routed path it stands in for: the same gateway answers the first read
 * through Nest (a cache miss, asked of the fake tracker) and the next from the view cache before
 * routing; RetryAfterInterceptor, which only the routed path runs, tells the two apart.
 */
describe('GET /api/v1/operations/{id} from the read edge (in-process, fake tracker)', () => {
  const rpc = { request: jest.fn() };
  const logLines: Array<Record<string, unknown>> = [];
  let app: INestApplication;
  let base: string;
  const tokens = new Map<string, string>();

  async function tokenOf(client: { id: string; secret: string }): Promise<string> {
    const known = tokens.get(client.id);
    if (known) return known;
    const res = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }),
    });
    const token = ((await res.json()) as { access_token: string }).access_token;
    tokens.set(client.id, token);
    return token;
  }

  async function read(path = `/api/v1/operations/${OP_ID}`, headers: Record<string, string> = {}, client = SHOP): Promise<Response> {
    return fetch(`${base}${path}`, { headers: { authorization: `Bearer ${await tokenOf(client)}`, ...headers } });
  }

  beforeAll(async () => {
    ({ app, base } = await startInProcessGateway({
      rpc,
      logLevel: 'info',
      logSink: (line) => logLines.push(JSON.parse(line)),
      env: { AUTH_CLIENTS: await clientsEnv(), RATE_LIMIT_OVERRIDES: LIMITED_OVERRIDE },
    }));
  });
  const edge = watchEdgeReads(() => app, RetryAfterInterceptor, rpc);
  beforeEach(() => {
    logLines.length = 0;
  });

  it.each([
    ['unfinished (Retry-After)', view()],
    ['finished', view({ status: 'Completed', finishedAt: '2030-01-01T00:00:09.000Z', successfulJobItems: 10, progress: 100 })],
  ])('answers a cached %s operation exactly as the routed read did, without routing it', async (_name, op) => {
    rpc.request.mockResolvedValue(op);
    const missRes = await read();
    const miss = await answerOf(missRes);
    expect(edge.routed).toHaveBeenCalledTimes(1);
    const hitRes = await read();
    const hit = await answerOf(hitRes);
    expect(edge.routed).toHaveBeenCalledTimes(1);
    expect(rpc.request).toHaveBeenCalledTimes(1);

    expect(hit).toEqual(miss);
    expect(hit.status).toBe(200);
    expect(JSON.parse(hit.body)).toEqual(op);
    expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hit.headers['etag']).toMatch(/^W\/"/);
    expect(hit.headers['retry-after']).toBe(op.status === 'InProgress' ? '2' : undefined);
    expect(hitRes.headers.get('x-rate-limit-remaining')).toMatch(/^\d+$/);
    expect(hitRes.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers X-App keys the guard has verified exactly as the routed read did, and leaves wrong ones to the guard', async () => {
    rpc.request.mockResolvedValue(view());
    const keys = { 'x-app-id': SHOP.id, 'x-app-token': SHOP.secret };
    const miss = await answerOf(await fetch(`${base}/api/v1/operations/${OP_ID}`, { headers: keys }));
    const hit = await answerOf(await fetch(`${base}/api/v1/operations/${OP_ID}`, { headers: keys }));
    expect(edge.routed).toHaveBeenCalledTimes(1);
    expect(hit).toEqual(miss);
    expect(hit.status).toBe(200);
    const wrong = await fetch(`${base}/api/v1/operations/${OP_ID}`, { headers: { ...keys, 'x-app-token': 'wrong' } });
    expect(wrong.status).toBe(401);
    expect(edge.routed).toHaveBeenCalledTimes(1);
  });

  it('keeps the caller request id and writes the same access-log line', async () => {
    rpc.request.mockResolvedValue(view());
    await read();
    const res = await read(`/api/v1/operations/${OP_ID}`, { 'x-request-id': 'poll-42' });
    expect(edge.routed).toHaveBeenCalledTimes(1);
    expect(res.headers.get('x-request-id')).toBe('poll-42');
    const lines = logLines.filter((l) => l.event === 'http-request');
    expect(lines).toHaveLength(2);
    const { durationMs: _ignored, requestId, ...line } = lines[1];
    expect(requestId).toBe('poll-42');
    expect(line).toMatchObject({ method: 'GET', path: `/api/v1/operations/${OP_ID}`, status: 200, clientId: SHOP.id, completed: true });
    expect(Object.keys(lines[1]).sort()).toEqual(Object.keys(lines[0]).sort());
  });

  it('gzips a large view and answers If-None-Match with 304, as the routed read does', async () => {
    const op = view({ message: 'x'.repeat(3000) });
    rpc.request.mockResolvedValue(op);
    // fetch adds Cache-Control: no-cache to a conditional request unless the request has its own (then nothing is fresh).
    const gzip = { 'accept-encoding': 'gzip', 'cache-control': 'max-age=0' };
    const miss = await answerOf(await read(undefined, gzip));
    const hit = await answerOf(await read(undefined, gzip));
    expect(edge.routed).toHaveBeenCalledTimes(1);
    expect(hit).toEqual(miss);
    expect(hit.headers['content-encoding']).toBe('gzip');
    expect(hit.headers['vary']).toBe('Accept-Encoding');
    expect(JSON.parse(hit.body)).toEqual(op);

    const etag = hit.headers['etag'];
    const notModifiedHit = await answerOf(await read(undefined, { ...gzip, 'if-none-match': etag }));
    expect(edge.routed).toHaveBeenCalledTimes(1);
    edge.views.forget(OP_ID);
    const notModifiedRouted = await answerOf(await read(undefined, { ...gzip, 'if-none-match': etag }));
    expect(edge.routed).toHaveBeenCalledTimes(2);
    expect(notModifiedHit).toEqual(notModifiedRouted);
    expect(notModifiedHit.status).toBe(304);
    expect(notModifiedHit.body).toBe('');
  });

  it('refuses a missing or forged token, and another client, exactly as the routed read does', async () => {
    rpc.request.mockResolvedValue(view());
    await read();
    expect(edge.views.get(SHOP.id, OP_ID)).toBeDefined();
    edge.routed.mockClear();

    const anonymous = await fetch(`${base}/api/v1/operations/${OP_ID}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="asyncops"');
    const forged = await fetch(`${base}/api/v1/operations/${OP_ID}`, { headers: { authorization: `Bearer ${(await tokenOf(SHOP)).slice(0, -2)}xx` } });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);

    // The tracker knows the operation only for its owner; the cache must not answer anyone else.
    rpc.request.mockRejectedValue(new RpcError(RpcErrorCode.NotFound, 'operation not found'));
    const foreign = await read(undefined, {}, OTHER);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ status: 404 });
    expect(rpc.request).toHaveBeenLastCalledWith(expect.anything(), { ownerId: OTHER.id, operationId: OP_ID }, expect.anything());
    expect(edge.routed).toHaveBeenCalledTimes(1);
    // The owner's cached view is still served.
    expect((await read()).status).toBe(200);
  });

  it('counts its answers against the client rate limit, and the 429 is the routed one', async () => {
    rpc.request.mockResolvedValue(view({ ownerId: LIMITED.id, producer: LIMITED.id }));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await read(undefined, {}, LIMITED)).status);
    // 3/1m for this client: one routed read, two from the edge, then refused.
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(rpc.request).toHaveBeenCalledTimes(1);
    // Only the first read reached the route's own interceptor; the 429 is the global limiter's, before it.
    expect(edge.routed).toHaveBeenCalledTimes(1);
    const refused = await read(undefined, {}, LIMITED);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ status: 429, code: 'REQUEST_LIMIT_EXCEEDED' });
  });

  it('leaves query strings, other spellings and methods to the router', async () => {
    rpc.request.mockResolvedValue(view());
    await read();
    edge.routed.mockClear();
    expect((await read(`/api/v1/operations/${OP_ID}?wait=0`)).status).toBe(200);
    expect((await read(`/api/v1/operations/${OP_ID.toUpperCase()}/`)).status).toBe(200);
    const unknown = await read(`/api/v1/operations/${OP_ID}?verbose=1`);
    expect(unknown.status).toBe(400);
    expect(edge.routed).toHaveBeenCalledTimes(3);
    expect((await read('/api/v1/operations/not-a-uuid')).status).toBe(404);
  });

  it('leaves reads to the router while the broker blocks publishers', async () => {
    rpc.request.mockResolvedValue(view());
    await read();
    const connection = app.get(AmqpConnection) as unknown as { blocked?: string };
    connection.blocked = 'memory alarm';
    try {
      const res = await read();
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
    } finally {
      delete connection.blocked;
    }
    expect((await read()).status).toBe(200);
    expect(edge.routed).toHaveBeenCalledTimes(1);
  });
});
