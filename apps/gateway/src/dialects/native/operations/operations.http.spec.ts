import type { INestApplication } from '@nestjs/common';
import { OperationView, RpcErrorCode, TrackerRpc } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { operationViewFixture } from '@asyncops/testing';
import { devAccessToken, startInProcessGateway } from '../../../../test/support/in-process-gateway';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET } from '../../../config';
import { TokenResponse } from '../../../core/auth/token.dto';
import { Problem } from '../../../core/errors/problem';
import { OperationWaiter } from '../../../core/tracker/operation-waiter';

const OP_ID = '7d1f7c3e-2b4a-4f7e-9c1d-3a5b6c7d8e9f';

function view(overrides: Partial<OperationView> = {}): OperationView {
  return operationViewFixture({ id: OP_ID, ownerId: DEV_CLIENT_ID, producer: DEV_CLIENT_ID, ...overrides });
}

interface OAuthBody {
  error: string;
  error_description: string;
}

async function readJson<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

describe('gateway HTTP surface (in-process, fake tracker)', () => {
  const rpc = { request: jest.fn() };
  const logLines: Array<Record<string, unknown>> = [];
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    ({ app, base } = await startInProcessGateway({
      rpc,
      logLevel: 'debug',
      logSink: (line) => logLines.push(JSON.parse(line)),
      env: { WAIT_MAX_SECONDS: '5' },
    }));
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => {
    rpc.request.mockReset();
    logLines.length = 0;
  });


  async function authed(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${await devAccessToken(base)}`);
    return fetch(`${base}${path}`, { ...init, headers });
  }

  describe('authentication', () => {
    it('answers 401 with a bare Bearer challenge and a problem body when no token is sent', async () => {
      const res = await fetch(`${base}/api/v1/operations/${OP_ID}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="asyncops"');
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = await readJson<Problem>(res);
      expect(body).toMatchObject({ status: 401, code: 'AUTHENTICATION_REQUIRED', instance: `/api/v1/operations/${OP_ID}` });
      expect(body.requestId).toBe(res.headers.get('x-request-id'));
      expect(rpc.request).not.toHaveBeenCalled();
    });

    it('answers 401 invalid_token for a forged token', async () => {
      const res = await fetch(`${base}/api/v1/operations/${OP_ID}`, { headers: { authorization: 'Bearer aaa.bbb.ccc' } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="asyncops", error="invalid_token", error_description="/);
      expect((await readJson<Problem>(res)).code).toBe('INVALID_TOKEN');
    });

    it('issues a Salesforce-shaped token for form-encoded client credentials', async () => {
      const res = await fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${DEV_CLIENT_ID}&client_secret=${DEV_CLIENT_SECRET}`,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await readJson<TokenResponse>(res);
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, instance_url: base, id: `${base}/id/asyncops/${DEV_CLIENT_ID}` });
      expect(body.access_token.split('.')).toHaveLength(3);
      expect(Number(body.issued_at)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('accepts HTTP Basic credentials and JSON bodies on the Salesforce path', async () => {
      const res = await fetch(`${base}/services/oauth2/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${DEV_CLIENT_ID}:${DEV_CLIENT_SECRET}`).toString('base64')}`,
        },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      });
      expect(res.status).toBe(200);
      expect((await readJson<TokenResponse>(res)).token_type).toBe('Bearer');
    });

    it('answers OAuth errors: invalid_client (400 body / 401 Basic) and unsupported_grant_type', async () => {
      const wrong = await fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${DEV_CLIENT_ID}&client_secret=nope`,
      });
      expect(wrong.status).toBe(400);
      expect(await wrong.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });

      const basic = await fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('x:y').toString('base64')}` },
        body: 'grant_type=client_credentials',
      });
      expect(basic.status).toBe(401);
      expect(basic.headers.get('www-authenticate')).toBe('Basic realm="asyncops"');
      expect((await readJson<OAuthBody>(basic)).error).toBe('invalid_client');

      const grant = await fetch(`${base}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password&username=a&password=b',
      });
      expect(grant.status).toBe(400);
      expect((await readJson<OAuthBody>(grant)).error).toBe('unsupported_grant_type');
    });

    it('keeps the OAuth error shape for an unreadable token request body', async () => {
      const res = await fetch(`${base}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":' });
      expect(res.status).toBe(400);
      expect((await readJson<OAuthBody>(res)).error).toBe('invalid_request');
    });
  });

  describe('operations', () => {
    it('passes the tracker view through and adds Retry-After while the operation is unfinished', async () => {
      rpc.request.mockResolvedValue(view({ status: 'InProgress' }));
      const res = await authed(`/api/v1/operations/${OP_ID}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(await res.json()).toEqual(view({ status: 'InProgress' }));
      expect(rpc.request).toHaveBeenCalledWith(TrackerRpc.GetOperation, { ownerId: DEV_CLIENT_ID, operationId: OP_ID }, 10_000);
    });

    it('has no Retry-After once the operation is terminal', async () => {
      rpc.request.mockResolvedValue(view({ status: 'Completed' }));
      const res = await authed(`/api/v1/operations/${OP_ID}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('retry-after')).toBeNull();
    });

    it('maps the tracker NOT_FOUND to a 404 problem', async () => {
      rpc.request.mockRejectedValue(new RpcError(RpcErrorCode.NotFound, 'operation not found'));
      const res = await authed(`/api/v1/operations/${OP_ID}`, { headers: { 'x-request-id': 'req-404-test' } });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('x-request-id')).toBe('req-404-test');
      expect(await res.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', requestId: 'req-404-test', type: 'urn:asyncops:problem:not-found' });
      expect(logLines.some((l) => l.event === 'http-request' && l.requestId === 'req-404-test' && l.status === 404)).toBe(true);
    });

    it('answers 404 for an id that is not a UUID without asking the tracker', async () => {
      const res = await authed('/api/v1/operations/not-a-uuid');
      expect(res.status).toBe(404);
      expect(rpc.request).not.toHaveBeenCalled();
    });

    it('maps a tracker timeout to 504', async () => {
      rpc.request.mockRejectedValue(new RpcError(RpcErrorCode.Timeout, 'no reply'));
      const res = await authed(`/api/v1/operations/${OP_ID}`);
      expect(res.status).toBe(504);
      expect((await readJson<Problem>(res)).code).toBe('UPSTREAM_TIMEOUT');
    });

    it('answers 500 without internals when the tracker fails, and logs the stack', async () => {
      rpc.request.mockRejectedValue(new RpcError(RpcErrorCode.Internal, 'db password is hunter2'));
      const res = await authed(`/api/v1/operations/${OP_ID}`);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('    at ');
      const logged = logLines.find((l) => l.event === 'request-failed');
      expect(logged?.requestId).toBe(res.headers.get('x-request-id'));
      expect((logged?.err as { stack?: string }).stack).toContain('RpcError');
    });

    it('creates an operation owned and produced by the caller, with Location and Retry-After', async () => {
      rpc.request.mockImplementation((_key: string, payload: { operationId: string }) =>
        Promise.resolve(view({ id: payload.operationId, status: 'Submitted' })),
      );
      const res = await authed('/api/v1/operations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'create-1' },
        body: JSON.stringify({ jobType: 'PlaceOrder', correlationIdentifier: 'cart-42', totalJobItems: 5 }),
      });
      expect(res.status).toBe(201);
      const body = await readJson<OperationView>(res);
      expect(res.headers.get('location')).toBe(`/api/v1/operations/${body.id}`);
      expect(res.headers.get('retry-after')).toBe('2');
      const [key, payload] = rpc.request.mock.calls[0];
      expect(key).toBe(TrackerRpc.CreateOperation);
      expect(payload).toMatchObject({
        ownerId: DEV_CLIENT_ID,
        producer: DEV_CLIENT_ID,
        requestId: 'create-1',
        jobType: 'PlaceOrder',
        correlationIdentifier: 'cart-42',
        totalJobItems: 5,
      });
      expect(payload.operationId).toBe(body.id);
    });

    it('answers 400 naming every bad field and rule', async () => {
      const res = await authed('/api/v1/operations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jobType: 'Nope', totalJobItems: -1, colour: 'red' }),
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = await readJson<Problem>(res);
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'jobType', rule: 'isIn' }),
          expect.objectContaining({ field: 'totalJobItems', rule: 'min' }),
          expect.objectContaining({ field: 'colour', rule: 'whitelistValidation' }),
        ]),
      );
      expect(rpc.request).not.toHaveBeenCalled();
    });

    it('answers 400 naming the body when the JSON is malformed', async () => {
      const res = await authed('/api/v1/operations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jobType":' });
      expect(res.status).toBe(400);
      const body = await readJson<Problem>(res);
      expect(body.code).toBe('MALFORMED_BODY');
      expect(body.errors?.[0]).toMatchObject({ field: 'body', rule: 'parse' });
      expect(body.requestId).toBe(res.headers.get('x-request-id'));
    });

    it('maps list filters to the tracker request and links the next page', async () => {
      rpc.request.mockResolvedValue({ items: [view()], nextCursor: 'c2' });
      const res = await authed('/api/v1/operations?status=Submitted,InProgress&status=Failure&jobType=PlaceOrder&limit=10&stepName=Pricing');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: [view()], nextCursor: 'c2', hasMore: true });
      expect(res.headers.get('link')).toBe(
        `<${base}/api/v1/operations?status=Submitted%2CInProgress&status=Failure&jobType=PlaceOrder&limit=10&stepName=Pricing&cursor=c2>; rel="next"`,
      );
      expect(rpc.request).toHaveBeenCalledWith(
        TrackerRpc.ListOperations,
        expect.objectContaining({
          ownerId: DEV_CLIENT_ID,
          status: ['Submitted', 'InProgress', 'Failure'],
          jobType: ['PlaceOrder'],
          stepName: 'Pricing',
          limit: 10,
        }),
        10_000,
      );
    });

    it('uses the default limit, and has no Link on the last page', async () => {
      rpc.request.mockResolvedValue({ items: [], nextCursor: null });
      const res = await authed('/api/v1/operations');
      expect(res.headers.get('link')).toBeNull();
      expect(await res.json()).toEqual({ data: [], nextCursor: null, hasMore: false });
      expect(rpc.request.mock.calls[0][1]).toMatchObject({ limit: 50 });
    });

    it('rejects an unknown status and an out-of-range limit', async () => {
      const res = await authed('/api/v1/operations?status=Done&limit=500');
      expect(res.status).toBe(400);
      const fields = (await readJson<Problem>(res)).errors?.map((e) => `${e.field}:${e.rule}`);
      expect(fields).toEqual(expect.arrayContaining(['status:isIn', 'limit:max']));
    });

    it('cancels with 202 and forwards the reason', async () => {
      rpc.request.mockResolvedValue(view({ cancelRequestedAt: '2030-01-01T00:00:02.000Z' }));
      const res = await authed(`/api/v1/operations/${OP_ID}/cancel`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'changed my mind' }),
      });
      expect(res.status).toBe(202);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(rpc.request).toHaveBeenCalledWith(
        TrackerRpc.CancelOperation,
        { operationId: OP_ID, ownerId: DEV_CLIENT_ID, reason: 'changed my mind' },
        10_000,
      );
    });

    it('cancels without a body', async () => {
      rpc.request.mockResolvedValue(view());
      const res = await authed(`/api/v1/operations/${OP_ID}/cancel`, { method: 'POST' });
      expect(res.status).toBe(202);
    });

    it('answers 409 CONFLICT in problem+json when the operation has already finished', async () => {
      rpc.request.mockRejectedValue(new RpcError(RpcErrorCode.Conflict, `operation ${OP_ID} has already finished (Completed) and cannot be cancelled`));
      const res = await authed(`/api/v1/operations/${OP_ID}/cancel`, { method: 'POST' });
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(await readJson<Problem>(res)).toMatchObject({ status: 409, code: 'CONFLICT', detail: expect.stringContaining('cannot be cancelled') });
    });

    it('lists Cancelled operations on a status filter', async () => {
      rpc.request.mockResolvedValue({ items: [view({ status: 'Cancelled' })], nextCursor: null });
      const res = await authed('/api/v1/operations?status=Cancelled');
      expect(res.status).toBe(200);
      expect(rpc.request).toHaveBeenCalledWith(TrackerRpc.ListOperations, expect.objectContaining({ status: ['Cancelled'] }), 10_000);
    });

    it('lists item failures as a page', async () => {
      const failure = { id: 'f1', itemKey: 'V-1', row: 2, reason: 'duplicate code', details: null, recordedAt: '2030-01-01T00:00:00.000Z' };
      rpc.request.mockResolvedValue({ items: [failure], nextCursor: null });
      const res = await authed(`/api/v1/operations/${OP_ID}/failures?limit=5`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: [failure], nextCursor: null, hasMore: false });
      expect(rpc.request).toHaveBeenCalledWith(TrackerRpc.ListItemFailures, { operationId: OP_ID, ownerId: DEV_CLIENT_ID, limit: 5 }, 10_000);
    });

    it('long-polls until a terminal change is announced, then re-reads', async () => {
      let status: OperationView['status'] = 'InProgress';
      rpc.request.mockImplementation(() => Promise.resolve(view({ status })));
      const accessToken = await devAccessToken(base);
      // The longest wait allowed: only the announcement can end it within the test's time.
      const pending = fetch(`${base}/api/v1/operations/${OP_ID}?wait=60`, { headers: { authorization: `Bearer ${accessToken}` } });
      const waiter = app.get(OperationWaiter);
      const started = Date.now();
      while (waiter.activeWaits === 0 && Date.now() - started < 2000) await new Promise((r) => setTimeout(r, 10));
      status = 'Completed';
      waiter.onOperationChanged({ operationId: OP_ID, status: 'Completed', ownerId: DEV_CLIENT_ID, progress: 100, version: 3 });
      const res = await pending;
      expect(res.status).toBe(200);
      expect((await readJson<OperationView>(res)).status).toBe('Completed');
      expect(res.headers.get('retry-after')).toBeNull();
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(rpc.request).toHaveBeenCalledTimes(2);
    });

    it('rejects a negative wait', async () => {
      const res = await authed(`/api/v1/operations/${OP_ID}?wait=-1`);
      expect(res.status).toBe(400);
      expect((await readJson<Problem>(res)).errors?.[0]).toMatchObject({ field: 'wait', rule: 'min' });
    });
  });

  describe('edges', () => {
    it('answers an unknown route with a 404 problem', async () => {
      const res = await fetch(`${base}/nowhere`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await readJson<Problem>(res)).code).toBe('ROUTE_NOT_FOUND');
    });

    it('replaces an unsafe X-Request-Id', async () => {
      const res = await fetch(`${base}/nowhere`, { headers: { 'x-request-id': 'bad id with spaces' } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('serves the OpenAPI document and the health check without a token', async () => {
      const doc = await fetch(`${base}/api/openapi.json`);
      expect(doc.status).toBe(200);
      const body = await readJson<{ paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } }>(doc);
      expect(Object.keys(body.paths)).toEqual(
        expect.arrayContaining(['/oauth/token', '/services/oauth2/token', '/api/v1/operations', '/api/v1/operations/{id}', '/api/v1/operations/{id}/cancel', '/api/v1/operations/{id}/failures']),
      );
      expect(body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      const ui = await fetch(`${base}/api/docs`);
      expect(ui.status).toBe(200);
      const live = await fetch(`${base}/health/live`);
      expect(live.status).toBe(200);
    });
  });
});
