import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ServiceProcess, Stack, startStack, waitFor } from '@asyncops/testing';
import { hashSecret } from '../src/core/auth/secret-hash';

const CLIENT = { id: 'edge-client', secret: 'edge-secret-1' };
const MB = 1024 * 1024;
const JSON_CAP = MB;
const UPLOAD_CAP = 4096;
/** Inflated bytes one request's PendingOrderSummary payloads may produce: below one payload's own cap (1 MiB). */
const INFLATE_BUDGET = 256 * 1024;

/** Resident memory of a process in bytes, from the kernel's own accounting. */
function rssOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) * 1024;
}

/**
 * The HTTP edge of every surface (native, Salesforce, Voucherify, Zuora): body caps measured after
 * gzip inflation, encodings, compressed answers, error shapes, and the request id followed from
 * the client into the tracker's operation and log lines. Gateway and tracker run as processes.
 */
describe('gateway edge: limits, encodings, error shapes and tracing (gateway + tracker)', () => {
  let stack: Stack;
  let tracker: ServiceProcess;
  let gateway: ServiceProcess;
  let token: string;

  const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const { token: given, ...rest } = init;
    const bearer = given === undefined ? token : given;
    return fetch(`${gateway.url}${path}`, {
      ...rest,
      headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), 'content-type': 'application/json', ...(rest.headers ?? {}) },
    });
  };

  beforeAll(async () => {
    stack = await startStack('edge', {
      apps: ['tracker', 'gateway'],
      clients: { list: [CLIENT], hashSecret },
      // Debug level, so the tracker writes a line for every message it handles.
      appEnv: { tracker: { LOG_LEVEL: 'debug' }, gateway: { JSON_BODY_MAX_BYTES: String(JSON_CAP), VOUCHERIFY_UPLOAD_MAX_BYTES: String(UPLOAD_CAP), PENDING_ORDER_INFLATE_MAX_BYTES: String(INFLATE_BUDGET) } },
    });
    ({ tracker, gateway } = stack);
    token = await stack.token(CLIENT);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('limits', () => {
    it('refuses a gzip bomb (about 1 MB inflating to 1 GB) with 413 within a second, without the gateway growing past the cap', async () => {
      // Concatenated gzip members inflate one after the other: 128 x 8 MB of zeros.
      const member = gzipSync(Buffer.alloc(8 * MB), { level: 9 });
      const bomb = Buffer.concat(Array.from({ length: 128 }, () => member));
      expect(bomb.length).toBeLessThan(1.5 * MB);
      const pid = gateway.pid as number;
      const rssBefore = rssOf(pid);

      const started = Date.now();
      const res = await call('/api/v1/operations', { method: 'POST', body: bomb, headers: { 'content-encoding': 'gzip' } });
      const elapsed = Date.now() - started;

      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      // The cap named is the route's own, measured on the inflated bytes.
      expect(await res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413, detail: expect.stringContaining(`${JSON_CAP} bytes`) });
      expect(elapsed).toBeLessThan(1000);
      // Inflating the whole body would take a gigabyte; the cap is one megabyte plus working buffers.
      expect(rssOf(pid) - rssBefore).toBeLessThan(24 * MB);
    });

    it('accepts a gzip JSON body within the cap', async () => {
      const body = gzipSync(Buffer.from(JSON.stringify({ jobType: 'PlaceQuote' })));
      const res = await call('/api/v1/operations', { method: 'POST', body, headers: { 'content-encoding': 'gzip' } });
      expect(res.status).toBe(201);
    });

    it('refuses an unknown Content-Encoding with 415', async () => {
      const res = await call('/api/v1/operations', { method: 'POST', body: '{"jobType":"PlaceQuote"}', headers: { 'content-encoding': 'br' } });
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({ code: 'UNSUPPORTED_CONTENT_ENCODING', detail: expect.stringContaining('gzip') });
    });

    it('refuses a plain JSON body over the route cap with 413, and keeps the bulk routes on their larger cap', async () => {
      const big = JSON.stringify({ jobType: 'PlaceQuote', stepName: 'x'.repeat(JSON_CAP) });
      expect((await call('/api/v1/operations', { method: 'POST', body: big })).status).toBe(413);
      // Same size on a bulk route passes the size check and reaches validation instead.
      const bulk = await call('/api/v1/products', { method: 'POST', body: JSON.stringify({ filler: 'x'.repeat(JSON_CAP) }) });
      expect(bulk.status).toBe(400);
    });

    it('refuses an oversized upload before storing any of it', async () => {
      // No importer runs here: had the gateway started streaming chunks to storage, the answer
      // would be a 503 after the RPC timeout instead of an immediate 413.
      const form = new FormData();
      form.append('file', new Blob([Buffer.alloc(2 * MB, 0x41)]), 'big.csv');
      const started = Date.now();
      const res = await fetch(`${gateway.url}/v1/vouchers/importCSV`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(413);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await res.json()).toMatchObject({ code: 413, key: 'payload_too_large' });
    });

    it('gzips a response of 1 KB or more when asked, and leaves small ones alone', async () => {
      for (let i = 0; i < 8; i++) expect((await call('/api/v1/operations', { method: 'POST', body: JSON.stringify({ jobType: 'PlaceQuote' }) })).status).toBe(201);
      const raw = await rawGet(`${gateway.url}/api/v1/operations?limit=20`, { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' });
      expect(raw.status).toBe(200);
      expect(raw.headers['content-encoding']).toBe('gzip');
      expect(raw.headers.vary).toMatch(/accept-encoding/i);
      expect(JSON.parse(gunzipSync(raw.body).toString()).data.length).toBeGreaterThanOrEqual(8);

      const small = await rawGet(`${gateway.url}/health/live`, { 'accept-encoding': 'gzip' });
      expect(small.headers['content-encoding']).toBeUndefined();
      const unasked = await rawGet(`${gateway.url}/api/v1/operations?limit=20`, { authorization: `Bearer ${token}` });
      expect(unasked.headers['content-encoding']).toBeUndefined();
    });
  });

  describe('error shapes per surface', () => {
    const unknownId = '00000000-0000-4000-8000-000000000000';

    it('native: problem+json naming the field and rule', async () => {
      const malformed = await call('/api/v1/operations', { method: 'POST', body: '{"jobType":' });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ code: 'MALFORMED_BODY', errors: [{ field: 'body', rule: 'parse' }] });

      const missing = await call('/api/v1/operations', { method: 'POST', body: '{}' });
      expect(missing.status).toBe(400);
      const body = (await missing.json()) as { code: string; errors: Array<{ field: string; rule: string }> };
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.errors).toContainEqual(expect.objectContaining({ field: 'jobType', rule: 'isIn' }));

      const unknown = await call(`/api/v1/operations/${unknownId}`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND', requestId: unknown.headers.get('x-request-id') });

      const badToken = await call('/api/v1/operations', { token: 'not-a-token' });
      expect(badToken.status).toBe(401);
      const problem = await badToken.text();
      expect(JSON.parse(problem)).toMatchObject({ code: 'INVALID_TOKEN' });
      expect(problem).not.toContain('    at ');
    });

    it('Salesforce: [{message, errorCode, fields}]', async () => {
      const path = '/services/data/v60.0/sobjects/PendingOrderSummary';
      for (const res of [
        await call(path, { method: 'POST', body: '{"Name":' }),
        await call(path, { method: 'POST', body: '{}' }),
        await call(`/services/data/v60.0/sobjects/AsyncOperationTracker/${unknownId}`),
        await call('/services/data/v60.0/sobjects/AsyncOperationTracker', { token: 'not-a-token' }),
      ]) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        const body = (await res.json()) as Array<{ message: string; errorCode: string }>;
        expect(Array.isArray(body)).toBe(true);
        expect(body[0]).toEqual(expect.objectContaining({ message: expect.any(String), errorCode: expect.any(String) }));
      }
      const missing = (await (await call(path, { method: 'POST', body: '{}' })).json()) as Array<{ fields?: string[] }>;
      expect(missing.some((e) => (e.fields ?? []).length > 0)).toBe(true);
      const unknown = await call(`/services/data/v60.0/sobjects/AsyncOperationTracker/${unknownId}`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual([expect.objectContaining({ errorCode: 'NOT_FOUND' })]);
      const bad = await call('/services/data/v60.0/sobjects/AsyncOperationTracker', { token: 'not-a-token' });
      expect(bad.status).toBe(401);
      expect(await bad.json()).toEqual([expect.objectContaining({ errorCode: 'INVALID_SESSION_ID' })]);
    });

    it("refuses a JSON_GZIP PendingOrderSummary payload past the request's inflate budget in Salesforce's shape, naming the rule", async () => {
      // Within one payload's cap (1 MiB) but over this gateway's per-request budget; it never reaches order-placement (not running here).
      const payload = gzipSync(JSON.stringify({ orderItems: [{ sku: 'A', quantity: 1, unitPrice: '1.00' }], note: ' '.repeat(INFLATE_BUDGET * 2) })).toString('base64');
      const res = await call('/services/data/v60.0/sobjects/PendingOrderSummary', {
        method: 'POST',
        body: JSON.stringify({
          ExternalReferenceIdentifier: 'edge_realm@site@1',
          OrderNumber: 'ON-1',
          OrderedDate: '2026-11-24T10:00:00.000Z',
          ShopperName: 'Shopper',
          BillingEmailAddress: 'shopper@example.com',
          GrandTotalAmount: '1.00',
          PayloadType: 'JSON_GZIP',
          Payload: payload,
        }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual([{ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['Payload'], message: expect.stringContaining('rule inflateBudget') }]);
    });

    it("Voucherify: {code, key, message, details, request_id} with Voucherify's v-… request id", async () => {
      const cases: Array<[Response, number]> = [
        [await call('/v1/vouchers/import', { method: 'POST', body: '[{"code":' }), 400],
        [await call('/v1/vouchers/bulk/async', { method: 'POST', body: '{}' }), 400],
        [await call('/v1/async-actions/aa_0a0a0a0a0a0a0a0a0a0a0a0a'), 404],
        [await call('/v1/async-actions', { token: 'not-a-token' }), 401],
      ];
      for (const [res, status] of cases) {
        expect(res.status).toBe(status);
        const requestId = res.headers.get('x-request-id');
        expect(requestId).toMatch(/^v-[0-9a-f]{18}$/);
        const body = (await res.json()) as Record<string, unknown>;
        expect(Object.keys(body).sort()).toEqual(['code', 'details', 'key', 'message', 'request_id']);
        expect(body).toMatchObject({ code: status, request_id: requestId });
      }
    });

    it('Zuora: {success:false, processId, reasons}', async () => {
      const cases: Array<[Response, number]> = [
        [await call('/v1/async/orders', { method: 'POST', body: '{"subscriptions":' }), 400],
        [await call('/v1/async/orders', { method: 'POST', body: '{}' }), 400],
        [await call(`/v1/async-jobs/${unknownId}`), 404],
        [await call(`/v1/async-jobs/${unknownId}`, { token: 'not-a-token' }), 401],
      ];
      for (const [res, status] of cases) {
        expect(res.status).toBe(status);
        const body = (await res.json()) as { success: boolean; processId: string; reasons: Array<{ code: unknown; message: string }> };
        expect(body.success).toBe(false);
        expect(typeof body.processId).toBe('string');
        expect(body.reasons[0]).toEqual(expect.objectContaining({ message: expect.any(String) }));
        expect(JSON.stringify(body)).not.toContain('    at ');
      }
    });
  });

  describe('tracing', () => {
    it("carries the client's request id into the operation's correlationIdentifier and the tracker's log lines", async () => {
      const requestId = `edge-trace-${Date.now()}`;
      const res = await call('/api/v1/operations', { method: 'POST', body: JSON.stringify({ jobType: 'PlaceQuote' }), headers: { 'x-request-id': requestId } });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-request-id')).toBe(requestId);
      const op = (await res.json()) as { id: string; correlationIdentifier: string | null };
      expect(op.correlationIdentifier).toBe(requestId);

      const fetched = (await (await call(`/api/v1/operations/${op.id}`)).json()) as { correlationIdentifier: string | null };
      expect(fetched.correlationIdentifier).toBe(requestId);
      await waitFor('tracker log line carrying the request id', async () => tracker.logs.some((l) => l.correlationId === requestId), 10_000);
      expect(gateway.logs.some((l) => l.correlationId === requestId || l.requestId === requestId)).toBe(true);
    });

    it('keeps a correlationIdentifier the client chose', async () => {
      const res = await call('/api/v1/operations', { method: 'POST', body: JSON.stringify({ jobType: 'PlaceQuote', correlationIdentifier: 'order-77' }), headers: { 'x-request-id': 'edge-own-1' } });
      expect(((await res.json()) as { correlationIdentifier: string }).correlationIdentifier).toBe('order-77');
    });
  });
});

/** fetch inflates gzip on its own; this reads the bytes exactly as the gateway sent them. */
async function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | undefined>; body: Buffer }> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string | undefined>, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}
