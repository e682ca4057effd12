import type { INestApplication } from '@nestjs/common';
import { RpcErrorCode, SoqlQueryRequest, SoqlQueryResponse } from '@asyncops/contracts';
import { AmqpConnection, RpcError } from '@asyncops/messaging';
import { answerOf, clientsEnv, EdgeAnswer, LIMITED, LIMITED_OVERRIDE, SHOP, tokenCache, watchEdgeReads } from '../../../../test/support/edge-read';
import { startInProcessGateway } from '../../../../test/support/in-process-gateway';
import { RateLimitInterceptor } from '../../../core/rate-limit/rate-limit.interceptor';

const SOQL = "SELECT Id, SubmittedAt, Status FROM AsyncOperationTracker WHERE Status = 'InProgress' ORDER BY SubmittedAt DESC";
const TOTAL = 450;
const AT = '2030-01-02T03:04:05.000Z';

/** The tracker's pages of TOTAL records, as its soql-query handler answers them. */
function trackerPage(request: SoqlQueryRequest): SoqlQueryResponse {
  const rows: Array<Array<string | number | null>> = [];
  for (let n = request.pageOffset + 1; n <= Math.min(TOTAL, request.pageOffset + request.pageSize); n++) rows.push([n, n, AT, 'InProgress']);
  return { rows, relationships: [], totalSize: request.withTotal ? TOTAL : null, snapshot: TOTAL };
}

/**
 * SOQL pages from the read edge against the routed QueryController they stand in for, in one
 * gateway with a fake tracker: the canonical path is answered before routing, and the same request
 * spelt with a trailing slash (which Express routes to the same handler, and the edge leaves
 * alone) goes through Nest. RateLimitInterceptor, which only routed requests reach, tells the two
 * apart. Any difference in status, body or headers (but the per-request ones) fails the case.
 */
describe('GET /services/data/vNN.N/query from the read edge (in-process, fake tracker)', () => {
  const rpc = { request: jest.fn() };
  const logLines: Array<Record<string, unknown>> = [];
  let app: INestApplication;
  let base: string;
  let now: jest.SpyInstance | undefined;

  const tokenOf = tokenCache(() => base, '/services/oauth2/token');

  async function get(path: string, headers: Record<string, string> = {}, client = SHOP): Promise<Response> {
    return fetch(`${base}${path}`, { headers: { authorization: `Bearer ${await tokenOf(client)}`, ...headers } });
  }

  /** `path` from the edge, then the same request through the router (its path with a trailing slash before the query string). */
  async function bothWays(path: string, headers: Record<string, string> = {}): Promise<{ edged: EdgeAnswer; routed: EdgeAnswer }> {
    const [pathname, search] = path.split('?');
    const before = edge.routed.mock.calls.length;
    const edged = await answerOf(await get(path, headers));
    expect(edge.routed.mock.calls.length).toBe(before);
    const routed = await answerOf(await get(`${pathname}/${search === undefined ? '' : `?${search}`}`, headers));
    expect(edge.routed.mock.calls.length).toBe(before + 1);
    return { edged, routed };
  }

  const query = (soql = SOQL, resource = 'query') => `/services/data/v60.0/${resource}?q=${encodeURIComponent(soql)}`;

  beforeAll(async () => {
    ({ app, base } = await startInProcessGateway({
      rpc,
      logLevel: 'info',
      logSink: (line) => logLines.push(JSON.parse(line)),
      env: { AUTH_CLIENTS: await clientsEnv(), RATE_LIMIT_OVERRIDES: LIMITED_OVERRIDE },
    }));
  });
  const edge = watchEdgeReads(() => app, RateLimitInterceptor, rpc);
  beforeEach(async () => {
    logLines.length = 0;
    // Tokens first, on the real clock: every later locator is then issued at one instant, so both paths' locators are alike.
    await Promise.all([tokenOf(SHOP), tokenOf(LIMITED)]);
    const fixed = Date.now();
    now = jest.spyOn(Date, 'now').mockReturnValue(fixed);
    rpc.request.mockImplementation(async (_key: string, request: SoqlQueryRequest) => trackerPage(request));
  });
  afterEach(() => now?.mockRestore());

  it.each([
    ['a first page with nextRecordsUrl', query(), { 'sforce-query-options': 'batchSize=200' }],
    ['a single page (done)', query(), {}],
    ['queryAll', query(SOQL, 'queryAll'), { 'sforce-query-options': 'batchSize=300' }],
    ['COUNT()', query('SELECT COUNT() FROM AsyncOperationTracker'), {}],
    ['an aggregate query', query('SELECT Status, COUNT(Id) n FROM AsyncOperationTracker GROUP BY Status'), {}],
  ])('answers %s exactly as the routed query does, asking the tracker the same', async (_name, path, headers) => {
    if (path.includes('GROUP')) rpc.request.mockImplementation(async () => ({ rows: [['InProgress', 7]], relationships: [], totalSize: 1, snapshot: 0 }));
    const { edged, routed } = await bothWays(path, headers);
    expect(edged).toEqual(routed);
    expect(edged.status).toBe(200);
    expect(edged.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(edged.headers['etag']).toMatch(/^W\/"/);
    expect(rpc.request).toHaveBeenCalledTimes(2);
    expect(rpc.request.mock.calls[0]).toEqual(rpc.request.mock.calls[1]);
    expect(rpc.request.mock.calls[0][1]).toMatchObject({ ownerId: SHOP.id });
  });

  it('follows nextRecordsUrl to the last page exactly as the routed path does', async () => {
    const first = JSON.parse((await bothWays(query(), { 'sforce-query-options': 'batchSize=200' })).edged.body) as { nextRecordsUrl?: string; records: unknown[] };
    expect(first.records).toHaveLength(200);
    expect(first.records[0]).toMatchObject({ attributes: { type: 'AsyncOperationTracker' }, Status: 'InProgress', SubmittedAt: '2030-01-02T03:04:05.000+0000' });
    let next = first.nextRecordsUrl;
    const seen: number[] = [];
    while (next) {
      const { edged, routed } = await bothWays(next);
      expect(edged).toEqual(routed);
      expect(edged.status).toBe(200);
      const page = JSON.parse(edged.body) as { nextRecordsUrl?: string; records: unknown[]; totalSize: number };
      expect(page.totalSize).toBe(TOTAL);
      seen.push(page.records.length);
      next = page.nextRecordsUrl;
    }
    expect(seen).toEqual([200, 50]);
  });

  it('gzips and answers If-None-Match with 304, as the routed query does', async () => {
    const gzip = { 'accept-encoding': 'gzip', 'cache-control': 'max-age=0' };
    const { edged, routed } = await bothWays(query(), gzip);
    expect(edged).toEqual(routed);
    expect(edged.headers['content-encoding']).toBe('gzip');
    const conditional = await bothWays(query(), { ...gzip, 'if-none-match': edged.headers['etag'] });
    expect(conditional.edged).toEqual(conditional.routed);
    expect(conditional.edged.status).toBe(304);
  });

  it.each([
    ['a timed-out call', () => new RpcError(RpcErrorCode.Timeout, 'no reply within 10000 ms'), 504],
    ['an unreachable broker', () => new Error('channel closed'), 503],
    ['a refusal of the tracker', () => new RpcError(RpcErrorCode.Invalid, 'plan.select: unknown field'), 400],
  ])('answers %s in the routed path Salesforce shape', async (_name, error, status) => {
    rpc.request.mockImplementation(async () => {
      throw error();
    });
    const { edged, routed } = await bothWays(query());
    expect(edged).toEqual(routed);
    expect(edged.status).toBe(status);
    expect(JSON.parse(edged.body)).toEqual([expect.objectContaining({ errorCode: expect.any(String), message: expect.any(String) })]);
  });

  it('leaves what the routed path refuses before calling to it, asking no one', async () => {
    const refused = [
      ['/services/data/v58.0/query?q=SELECT+Id+FROM+AsyncOperationTracker', 404],
      ['/services/data/v60.0/query', 400],
      ['/services/data/v60.0/query?q=', 400],
      ['/services/data/v60.0/query?q=a&q=b', 400],
      [query('SELECT Nope FROM AsyncOperationTracker'), 400],
      [query('SELECT Id FROM Account'), 400],
      ['/services/data/v60.0/query/forged.mac-200', 400],
    ] as const;
    for (const [path, status] of refused) {
      const before = edge.routed.mock.calls.length;
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(Array.isArray(await res.json())).toBe(true);
      expect(edge.routed.mock.calls.length).toBe(before + 1);
    }
    expect(rpc.request).not.toHaveBeenCalled();
  });

  it('writes the same access-log line and counts the request once against the client bucket', async () => {
    await bothWays(query());
    const lines = logLines.filter((l) => l.event === 'http-request');
    expect(lines).toHaveLength(2);
    const strip = ({ durationMs: _d, requestId: _r, path: _p, msg: _m, correlationId: _c, ...line }: Record<string, unknown>) => line;
    expect(strip(lines[0])).toEqual(strip(lines[1]));
    expect(lines[0]).toMatchObject({ method: 'GET', status: 200, clientId: SHOP.id });

    // 3/1m for this client: three answers from the edge, then the routed 429.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(query(), {}, LIMITED)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(edge.routed).toHaveBeenCalledTimes(2);
  });

  it('leaves queries to the router while the broker blocks publishers', async () => {
    const connection = app.get(AmqpConnection) as unknown as { blocked?: string };
    connection.blocked = 'memory alarm';
    try {
      const res = await get(query());
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
    } finally {
      delete connection.blocked;
    }
    expect(edge.routed).toHaveBeenCalledTimes(1);
    expect(rpc.request).not.toHaveBeenCalled();
  });

  it('leaves a request without credentials to the guard', async () => {
    const res = await fetch(`${base}${query()}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([expect.objectContaining({ errorCode: 'INVALID_SESSION_ID' })]);
    expect(rpc.request).not.toHaveBeenCalled();
  });
});
