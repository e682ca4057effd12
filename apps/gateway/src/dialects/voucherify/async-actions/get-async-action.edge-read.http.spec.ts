import { request as httpRequest } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { OperationView, RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { operationViewFixture } from '@asyncops/testing';
import { clientsEnv, LIMITED, LIMITED_OVERRIDE, OTHER, PER_REQUEST_HEADERS, SHOP, watchEdgeReads } from '../../../../test/support/edge-read';
import { startInProcessGateway } from '../../../../test/support/in-process-gateway';
import { RateLimitInterceptor } from '../../../core/rate-limit/rate-limit.interceptor';

const OP_ID = '5b2c9d4e-1f3a-4b6c-8d7e-9f0a1b2c3d4e';
const ACTION_ID = `aa_${OP_ID.replace(/-/g, '')}`;

function view(overrides: Partial<OperationView> = {}): OperationView {
  return operationViewFixture({
    id: OP_ID,
    asyncOperationNumber: '00000011',
    jobType: 'CAMPAIGN.VOUCHERS_IMPORT_CSV',
    totalJobItems: 100,
    successfulJobItems: 40,
    progress: 40,
    ownerId: SHOP.id,
    producer: 'importer',
    requestId: 'v-0a1b2c3d4e5f',
    ...overrides,
  });
}

/** A finished import with failed rows: its result carries a report link on the caller's origin. */
const WITH_REPORT = view({
  status: 'Completed',
  finishedAt: '2030-01-01T00:00:09.000Z',
  successfulJobItems: 97,
  failedJobItems: 3,
  progress: 100,
  processingTimeMs: 8000,
  result: { message: 'Import finished', done_count: 97, failed_count: 3, reports_available_till: '2030-01-08T00:00:09.000Z' },
});

/** Headers that differ between any two answers by design. */
interface Answer {
  status: number;
  /** Raw bytes (gzip stays compressed), base64. */
  body: string;
  headers: Record<string, string>;
}

/**
 * Voucherify's async action read from the read edge against the routed read, as @voucherify/sdk
 * sends it (X-App-Id / X-App-Token). RateLimitInterceptor runs only on the routed path, which tells
 * the two apart. node:http, not fetch: the body names the Host the client used.
 */
describe('GET /v1/async-actions/{id} from the read edge (in-process, fake tracker)', () => {
  const rpc = { request: jest.fn() };
  let app: INestApplication;
  let port: number;

  function get(path: string, headers: Record<string, string>): Promise<Answer & { all: Record<string, string> }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const all: Record<string, string> = {};
          const kept: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            const v = Array.isArray(value) ? value.join(', ') : String(value);
            all[name] = v;
            if (!PER_REQUEST_HEADERS.has(name)) kept[name] = v;
          }
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('base64'), headers: kept, all });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  const appKeys = (client: { id: string; secret: string }) => ({ 'x-app-id': client.id, 'x-app-token': client.secret });
  const read = (headers: Record<string, string> = {}, client = SHOP, path = `/v1/async-actions/${ACTION_ID}`) => get(path, { ...appKeys(client), ...headers });
  const json = (a: Answer) => JSON.parse(Buffer.from(a.body, 'base64').toString('utf8')) as Record<string, unknown>;
  /** An error body without its request id (Voucherify's shape names it in the body). */
  const errorOf = (a: Answer) => ({ ...json(a), request_id: undefined });

  beforeAll(async () => {
    const started = await startInProcessGateway({
      rpc,
      env: { AUTH_CLIENTS: await clientsEnv(), RATE_LIMIT_OVERRIDES: LIMITED_OVERRIDE },
    });
    app = started.app;
    port = Number(new URL(started.base).port);
  });
  const edge = watchEdgeReads(() => app, RateLimitInterceptor, rpc);

  it.each([
    ['unfinished', view(), {}],
    ['finished with a report link', WITH_REPORT, {}],
    ['large, gzipped', view({ result: { message: 'm'.repeat(3000) } }), { 'accept-encoding': 'gzip' }],
  ])('answers a cached async action (%s) to X-App keys exactly as the routed read did', async (_name, op, headers: Record<string, string>) => {
    rpc.request.mockResolvedValue(op);
    const miss = await read(headers);
    expect(edge.routed).toHaveBeenCalledTimes(1);
    const hit = await read(headers);
    expect(edge.routed).toHaveBeenCalledTimes(1);
    expect(rpc.request).toHaveBeenCalledTimes(1);
    expect({ ...hit, all: undefined }).toEqual({ ...miss, all: undefined });
    expect(hit.status).toBe(200);
    expect(hit.headers['etag']).toMatch(/^W\/"/);
    expect(hit.all['x-rate-limit-remaining']).toMatch(/^\d+$/);
    if (!headers['accept-encoding']) expect(json(hit)).toMatchObject({ id: ACTION_ID, object: 'async_action', type: op.jobType, progress: op.progress });
  });

  it('names the origin each client used in the report link, as the routed read does', async () => {
    rpc.request.mockResolvedValue(WITH_REPORT);
    await read({ host: 'vouchers.example.test' });
    const hitHere = await read({ host: 'vouchers.example.test' });
    const hitThere = await read({ host: 'other.example.test:8443' });
    expect(edge.routed).toHaveBeenCalledTimes(1);
    edge.views.forget(OP_ID);
    const routedThere = await read({ host: 'other.example.test:8443' });
    expect(edge.routed).toHaveBeenCalledTimes(2);
    expect({ ...hitThere, all: undefined }).toEqual({ ...routedThere, all: undefined });
    expect((json(hitHere).result as { reports: string[] }).reports).toEqual([`http://vouchers.example.test/v1/async-actions/${ACTION_ID}/report`]);
    expect((json(hitThere).result as { reports: string[] }).reports).toEqual([`http://other.example.test:8443/v1/async-actions/${ACTION_ID}/report`]);
  });

  it('answers a Bearer token too, with the same body', async () => {
    rpc.request.mockResolvedValue(view());
    const viaKeys = await read();
    const token = await new Promise<string>((resolve, reject) => {
      const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: SHOP.id, client_secret: SHOP.secret }).toString();
      const req = httpRequest({ host: '127.0.0.1', port, path: '/oauth/token', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve((JSON.parse(text) as { access_token: string }).access_token));
      });
      req.on('error', reject);
      req.end(body);
    });
    // The token request itself went through the router.
    edge.routed.mockClear();
    const viaBearer = await get(`/v1/async-actions/${ACTION_ID}`, { authorization: `Bearer ${token}` });
    expect(edge.routed).toHaveBeenCalledTimes(0);
    expect(viaBearer.status).toBe(200);
    expect(viaBearer.body).toBe(viaKeys.body);
  });

  it('leaves refused keys, another client and incomplete keys to the router, which answers as before', async () => {
    rpc.request.mockResolvedValue(view());
    await read();
    expect((await read()).status).toBe(200);
    expect(edge.routed).toHaveBeenCalledTimes(1);
    edge.routed.mockClear();

    const wrong = await read({ 'x-app-token': 'not-the-secret' });
    const wrongAgain = await read({ 'x-app-token': 'not-the-secret' });
    expect([wrong.status, wrongAgain.status]).toEqual([401, 401]);
    expect(errorOf(wrongAgain)).toEqual(errorOf(wrong));
    expect(errorOf(wrong)).toMatchObject({ code: 401, key: 'unauthorized' });
    const idOnly = await get(`/v1/async-actions/${ACTION_ID}`, { 'x-app-id': SHOP.id });
    expect(idOnly.status).toBe(401);
    // Refused before the route's interceptors: the guard answered all three.
    expect(edge.routed).toHaveBeenCalledTimes(0);

    // The tracker knows the operation only for its owner; the cache must not answer anyone else.
    rpc.request.mockRejectedValue(new RpcError(RpcErrorCode.NotFound, 'operation not found'));
    const foreign = await read({}, OTHER);
    expect(foreign.status).toBe(404);
    expect(json(foreign)).toMatchObject({ code: 404, key: 'not_found' });
    expect(rpc.request).toHaveBeenLastCalledWith(expect.anything(), { ownerId: OTHER.id, operationId: OP_ID }, expect.anything());
    expect(edge.routed).toHaveBeenCalledTimes(1);
    expect((await read()).status).toBe(200);
    expect(edge.routed).toHaveBeenCalledTimes(1);
  });

  it('leaves query strings, other spellings and operations that are no async action to the router', async () => {
    rpc.request.mockResolvedValue(view());
    await read();
    // The canonical form is the edge's...
    expect((await read()).status).toBe(200);
    expect(edge.routed).toHaveBeenCalledTimes(1);
    edge.routed.mockClear();
    // ...any other goes to the router.
    expect((await read({}, SHOP, `/v1/async-actions/${ACTION_ID}?x=1`)).status).toBe(200);
    expect((await read({}, SHOP, `/v1/async-actions/${ACTION_ID}/`)).status).toBe(200);
    expect(edge.routed).toHaveBeenCalledTimes(2);

    edge.views.reset(true);
    edge.routed.mockClear();
    rpc.request.mockResolvedValue(view({ jobType: 'PlaceOrder' }));
    const first = await read();
    const second = await read();
    expect([first.status, second.status]).toEqual([404, 404]);
    expect(errorOf(second)).toEqual(errorOf(first));
    expect(errorOf(second)).toMatchObject({ code: 404, key: 'not_found' });
    expect(edge.routed).toHaveBeenCalledTimes(2);
  });

  it('counts its answers against the client rate limit, and the 429 is the routed one', async () => {
    rpc.request.mockResolvedValue(view({ ownerId: LIMITED.id }));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await read({}, LIMITED)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(rpc.request).toHaveBeenCalledTimes(1);
    // The first read and the 429 went through the route's limiter; the two between were the edge's.
    expect(edge.routed).toHaveBeenCalledTimes(2);
  });
});
