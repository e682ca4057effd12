import type { Request, Response } from 'express';
import { ensureRequestId, isSafeRequestId } from './request-context';

function req(headers: Record<string, string> = {}): Request {
  return { headers } as unknown as Request;
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
});
