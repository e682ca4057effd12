import type { INestApplication } from '@nestjs/common';
import { OperationView, RpcErrorCode } from '@asyncops/contracts';
import { AmqpConnection, RpcError } from '@asyncops/messaging';
import { httpRequestDuration, useHttpMetrics } from '@asyncops/platform';
import { operationViewFixture } from '@asyncops/testing';
import { answerOf, clientsEnv, LIMITED, LIMITED_OVERRIDE, OTHER, SHOP, tokenCache, watchEdgeReads } from '../../../../../../test/support/edge-read';
import { startInProcessGateway } from '../../../../../../test/support/in-process-gateway';
import { AuthThrottle } from '../../../../../core/auth/auth-throttle';
import { RetryAfterInterceptor } from '../../retry-after.interceptor';

const OP_ID = '7d1f7c3e-2b4a-4f7e-9c1d-3a5b6c7d8e9f';

/** Event-loop turns a test waits for the server's side of a response it has received (its close or finish) before failing. */
const EVENT_LOOP_TURNS = 1000;

function view(overrides: Partial<OperationView> = {}): OperationView {
  return operationViewFixture({ id: OP_ID, ownerId: SHOP.id, producer: SHOP.id, ...overrides });
}

/**
 * The read edge against the routed path it stands in for: the same gateway answers the first read
 * through Nest (a cache miss, asked of the fake tracker) and the next from the view cache before
 * Express (the fast path of read-edge-server.ts); RetryAfterInterceptor, which only the routed path
 * runs, and Express's entry point, which the fast path skips, tell the two apart. The edge
 * middleware's work (request id, access log, metrics, per-address gate, gzip, ETag) must show on
 * the fast path's answers exactly as on the routed ones.
 */
describe('GET /api/v1/operations/{id} from the read edge (in-process, fake tracker)', () => {
  const rpc = { request: jest.fn() };
  const logLines: Array<Record<string, unknown>> = [];
  let app: INestApplication;
  let base: string;

  const tokenOf = tokenCache(() => base, '/oauth/token');

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
    // Tokens first, so every case counts only its reads.
    for (const client of [SHOP, OTHER, LIMITED]) await tokenOf(client);
  });
  const edge = watchEdgeReads(() => app, RetryAfterInterceptor, rpc);
  beforeEach(() => {
    logLines.length = 0;
  });

  /** The access-log lines, once there are `count` of them (each is written when its response closes, a few event-loop turns after the client has it at most). */
  async function accessLines(count: number): Promise<Array<Record<string, unknown>>> {
    let lines = logLines.filter((l) => l.event === 'http-request');
    for (let turn = 0; turn < EVENT_LOOP_TURNS && lines.length < count; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      lines = logLines.filter((l) => l.event === 'http-request');
    }
    expect(lines).toHaveLength(count);
    return lines;
  }

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
    // The hit was answered before Express: only the miss reached it.
    expect(edge.express).toHaveBeenCalledTimes(1);
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
    expect(edge.express).toHaveBeenCalledTimes(1);
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
    expect(edge.express).toHaveBeenCalledTimes(1);
    expect(res.headers.get('x-request-id')).toBe('poll-42');
    const lines = await accessLines(2);
    const { durationMs, requestId, time: _time, ...line } = lines[1];
    expect(requestId).toBe('poll-42');
    expect(line).toEqual({
      level: 'info',
      service: 'gateway',
      context: 'Http',
      correlationId: 'poll-42',
      msg: `GET /api/v1/operations/${OP_ID} 200`,
      event: 'http-request',
      method: 'GET',
      path: `/api/v1/operations/${OP_ID}`,
      status: 200,
      clientId: SHOP.id,
      completed: true,
    });
    expect(typeof durationMs).toBe('number');
    expect(Object.keys(lines[1])).toEqual(Object.keys(lines[0]));
  });

  it('gives a hit without an acceptable request id a fresh one, in its header, access-log line and correlation id', async () => {
    rpc.request.mockResolvedValue(view());
    await read();
    const fresh = await read();
    const unsafe = await read(undefined, { 'x-request-id': 'no spaces allowed' });
    expect(edge.express).toHaveBeenCalledTimes(1);
    const ids = [fresh.headers.get('x-request-id'), unsafe.headers.get('x-request-id')];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
    const lines = await accessLines(3);
    expect(lines.slice(1).map((l) => [l.requestId, l.correlationId])).toEqual(ids.map((id) => [id, id]));
  });

  it('gzips a large view and answers If-None-Match with 304, as the routed read does', async () => {
    const op = view({ message: 'x'.repeat(3000) });
    rpc.request.mockResolvedValue(op);
    // fetch adds Cache-Control: no-cache to a conditional request unless the request has its own (then nothing is fresh).
    const gzip = { 'accept-encoding': 'gzip', 'cache-control': 'max-age=0' };
    const miss = await answerOf(await read(undefined, gzip));
    const hit = await answerOf(await read(undefined, gzip));
    expect(edge.routed).toHaveBeenCalledTimes(1);
    expect(edge.express).toHaveBeenCalledTimes(1);
    expect(hit).toEqual(miss);
    expect(hit.headers['content-encoding']).toBe('gzip');
    expect(hit.headers['vary']).toBe('Accept-Encoding');
    expect(JSON.parse(hit.body)).toEqual(op);

    const etag = hit.headers['etag'];
    const notModifiedHit = await answerOf(await read(undefined, { ...gzip, 'if-none-match': etag }));
    expect(edge.routed).toHaveBeenCalledTimes(1);
    expect(edge.express).toHaveBeenCalledTimes(1);
    edge.views.forget(OP_ID);
    const notModifiedRouted = await answerOf(await read(undefined, { ...gzip, 'if-none-match': etag }));
    expect(edge.routed).toHaveBeenCalledTimes(2);
    expect(notModifiedHit).toEqual(notModifiedRouted);
    expect(notModifiedHit.status).toBe(304);
    expect(notModifiedHit.body).toBe('');

    // The same view for a client that does not take gzip (fetch asks for gzip unless told): the identity bytes, no Vary; and its 304.
    const identity = { 'accept-encoding': 'identity', 'cache-control': 'max-age=0' };
    const identityHit = await answerOf(await read(undefined, identity));
    const identityNotModified = await answerOf(await read(undefined, { ...identity, 'if-none-match': etag }));
    expect(edge.express).toHaveBeenCalledTimes(2);
    edge.views.forget(OP_ID);
    const identityRouted = await answerOf(await read(undefined, identity));
    edge.views.forget(OP_ID);
    const identityNotModifiedRouted = await answerOf(await read(undefined, { ...identity, 'if-none-match': etag }));
    expect(edge.express).toHaveBeenCalledTimes(4);
    expect(identityHit).toEqual(identityRouted);
    expect(identityHit.headers['content-encoding']).toBeUndefined();
    expect(identityHit.headers['vary']).toBeUndefined();
    expect(identityNotModified).toEqual(identityNotModifiedRouted);
    expect(identityNotModified.status).toBe(304);
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
    // The miss and the refusal went through Express; the two answers from the cache did not.
    expect(edge.express).toHaveBeenCalledTimes(2);
    // Only the first read reached the route's own interceptor; the 429 is the global limiter's, before it.
    expect(edge.routed).toHaveBeenCalledTimes(1);
    const refused = await read(undefined, {}, LIMITED);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ status: 429, code: 'REQUEST_LIMIT_EXCEEDED' });
  });

  it('answers ?wait=N of a cached finished operation as the routed long-poll does (at once, the same view), and leaves an unfinished one to the route', async () => {
    const done = view({ status: 'Completed', finishedAt: '2030-01-01T00:00:09.000Z', successfulJobItems: 10, progress: 100 });
    rpc.request.mockResolvedValue(done);
    const routedRes = await read(`/api/v1/operations/${OP_ID}?wait=30`);
    const routed = await answerOf(routedRes);
    expect(edge.routed).toHaveBeenCalledTimes(1);
    const hitRes = await read(`/api/v1/operations/${OP_ID}?wait=30`);
    const hit = await answerOf(hitRes);
    expect(edge.routed).toHaveBeenCalledTimes(1);
    expect(edge.express).toHaveBeenCalledTimes(1);
    expect(rpc.request).toHaveBeenCalledTimes(1);
    expect(hit).toEqual(routed);
    expect(JSON.parse(hit.body)).toEqual(done);
    const lines = await accessLines(2);
    expect(lines.map((l) => [l.path, l.status])).toEqual([
      [`/api/v1/operations/${OP_ID}`, 200],
      [`/api/v1/operations/${OP_ID}`, 200],
    ]);
    // Not the route's query: a bad or extra parameter is the route's to refuse.
    expect((await read(`/api/v1/operations/${OP_ID}?wait=-1`)).status).toBe(400);
    expect((await read(`/api/v1/operations/${OP_ID}?wait=1&verbose=1`)).status).toBe(400);
    expect(edge.routed).toHaveBeenCalledTimes(3);

    // Unfinished: the route waits (here the wait is cut short by the fake tracker's answer).
    edge.views.onMessage('tracker.operation.changed', { operationId: OP_ID, status: 'InProgress', version: done.version + 1 });
    rpc.request.mockResolvedValue(view({ version: done.version + 1 }));
    expect((await read(`/api/v1/operations/${OP_ID}?wait=0`)).status).toBe(200);
    expect(edge.routed).toHaveBeenCalledTimes(4);
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

  it('hands a hit to Express when answering it before Express fails, with nothing written', async () => {
    rpc.request.mockResolvedValue(view());
    const first = await read();
    const admit = jest.spyOn(AuthThrottle.prototype, 'admitRequest').mockImplementationOnce(() => {
      throw new Error('the address buckets are unavailable');
    });
    try {
      const res = await read();
      // Express's gate asked again (now answering), and the in-Express edge served the hit.
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(await first.text());
      expect(admit).toHaveBeenCalledTimes(2);
      expect(edge.express).toHaveBeenCalledTimes(2);
      expect(edge.routed).toHaveBeenCalledTimes(1);
    } finally {
      admit.mockRestore();
    }
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

/** The fast path on a gateway that times its requests (as every deployed app does) and limits each address tightly. */
describe('GET /api/v1/operations/{id} from the read edge: metrics and the per-address gate (in-process, fake tracker)', () => {
  const rpc = { request: jest.fn() };
  let app: INestApplication;
  let base: string;
  let token: string;
  // The token request and every read below count against 127.0.0.1's allowance.
  const PER_IP = 6;

  async function read(headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${base}/api/v1/operations/${OP_ID}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  }

  /** How many reads of the route the gateway timed, by status. */
  async function timedReads(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const v of (await httpRequestDuration.get()).values) {
      if (v.metricName === 'asyncops_http_request_duration_seconds_count' && v.labels.route === '/api/v1/operations/:id' && v.labels.method === 'GET') {
        counts[String(v.labels.status)] = v.value;
      }
    }
    return counts;
  }

  /** Waits until the reads timed are `expected`: a response is timed when it finishes, which the client may see after its last byte. */
  async function untilTimed(expected: Record<string, number>): Promise<void> {
    let counts = await timedReads();
    for (let turn = 0; turn < EVENT_LOOP_TURNS && !Object.entries(expected).every(([status, n]) => counts[status] === n); turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      counts = await timedReads();
    }
    expect(counts).toEqual(expected);
  }

  beforeAll(async () => {
    ({ app, base } = await startInProcessGateway({
      rpc,
      beforeListen: (a) => useHttpMetrics(a),
      env: { AUTH_CLIENTS: await clientsEnv(), RATE_LIMIT_PER_IP: `${PER_IP}/1h` },
    }));
    const res = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SHOP.id, client_secret: SHOP.secret }),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  const edge = watchEdgeReads(() => app, RetryAfterInterceptor, rpc);

  it('times its answers under the route template, as the routed read is timed, and takes from the address allowance once per request', async () => {
    httpRequestDuration.reset();
    rpc.request.mockResolvedValue(view());
    expect((await read()).status).toBe(200);
    await untilTimed({ '200': 1 });
    const hit = await read();
    expect(hit.status).toBe(200);
    const notModified = await read({ 'if-none-match': hit.headers.get('etag') as string, 'cache-control': 'max-age=0' });
    expect(notModified.status).toBe(304);
    expect(edge.routed).toHaveBeenCalledTimes(1);
    expect(edge.express).toHaveBeenCalledTimes(1);
    await untilTimed({ '200': 2, '304': 1 });

    // The token request and the three reads took four of the address's six; the fast path answers
    // two more and then leaves the refusal to the gate, which answers it before authentication.
    expect((await read()).status).toBe(200);
    expect((await read()).status).toBe(200);
    expect(edge.express).toHaveBeenCalledTimes(1);
    const refused = await read();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(edge.express).toHaveBeenCalledTimes(2);
    expect(edge.routed).toHaveBeenCalledTimes(1);
  });
});
