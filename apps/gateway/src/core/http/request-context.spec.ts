import type { Request, Response } from 'express';
import { DIALECT_REGISTRY_SETTING, DialectRegistry } from '../surfaces/dialect-registry';
import { ensureRequestId, isSafeRequestId } from './request-context';

const dialects = new DialectRegistry();
dialects.register({ name: 'counted', paths: (p) => p.startsWith('/counted/'), newRequestId: () => 'c-1' });
const app = { get: (name: string) => (name === DIALECT_REGISTRY_SETTING ? dialects : undefined) };

function req(headers: Record<string, string> = {}, path = '/api/v1/operations'): Request {
  return { headers, path, app } as unknown as Request;
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

  it("gives a dialect's paths the id form it registered and every other path a UUID", () => {
    expect(ensureRequestId(req({}, '/counted/x'))).toBe('c-1');
    for (const path of ['/api/v1/operations', '/oauth/token', '/countedx']) {
      expect(ensureRequestId(req({}, path))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it("keeps the client's own id on a dialect's paths too", () => {
    expect(ensureRequestId(req({ 'x-request-id': 'client-trace-1' }, '/counted/x'))).toBe('client-trace-1');
  });
});
