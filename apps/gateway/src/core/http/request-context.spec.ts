import type { Request, Response } from 'express';
import { ensureRequestId, isSafeRequestId, VOUCHERIFY_REQUEST_ID } from './request-context';

function req(headers: Record<string, string> = {}, path = '/api/v1/operations'): Request {
  return { headers, path } as unknown as Request;
}

describe('request ids', () => {
  it('keeps a safe incoming X-Request-Id and echoes it', () => {
    const headers: Record<string, string> = {};
    const res = { headersSent: false, getHeader: (k: string) => headers[k], setHeader: (k: string, v: string) => (headers[k] = v) } as unknown as Response;
    expect(ensureRequestId(req({ 'x-request-id': 'abc-123_x.y' }), res)).toBe('abc-123_x.y');
    expect(headers['X-Request-Id']).toBe('abc-123_x.y');
  });

  it('replaces an unsafe or oversized one', () => {
    expect(ensureRequestId(req({ 'x-request-id': 'a b' }))).toMatch(/^[0-9a-f-]{36}$/);
    expect(ensureRequestId(req({ 'x-request-id': 'x'.repeat(101) }))).toMatch(/^[0-9a-f-]{36}$/);
    expect(isSafeRequestId('x'.repeat(100))).toBe(true);
    expect(isSafeRequestId('line\nbreak')).toBe(false);
  });

  it('assigns one id per request, however often it is asked for', () => {
    const r = req();
    expect(ensureRequestId(r)).toBe(ensureRequestId(r));
  });

  it("gives Voucherify routes Voucherify's v-… form and every other surface a UUID", () => {
    expect(ensureRequestId(req({}, '/v1/vouchers/import'))).toMatch(VOUCHERIFY_REQUEST_ID);
    expect(ensureRequestId(req({}, '/v1/async-actions/aa_1'))).toMatch(/^v-[0-9a-f]{18}$/);
    for (const path of ['/api/v1/operations', '/services/data/v60.0/query', '/v1/async/orders', '/oauth/token']) {
      expect(ensureRequestId(req({}, path))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it("keeps the client's own id on the Voucherify surface too", () => {
    expect(ensureRequestId(req({ 'x-request-id': 'client-trace-1' }, '/v1/vouchers/import'))).toBe('client-trace-1');
  });
});
