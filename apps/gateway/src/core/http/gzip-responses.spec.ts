import type { Response } from 'express';
import { GZIP_MIN_BYTES, shouldGzip } from './gzip-responses';

function res(statusCode: number, headers: Record<string, string> = {}): Pick<Response, 'statusCode' | 'getHeader'> {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { statusCode, getHeader: ((name: string) => lower[name.toLowerCase()]) as Response['getHeader'] };
}

describe('shouldGzip', () => {
  it('compresses a JSON body of at least 1 KB', () => {
    expect(shouldGzip(res(200, { 'content-type': 'application/json' }), GZIP_MIN_BYTES)).toBe(true);
    expect(shouldGzip(res(400, { 'content-type': 'application/problem+json' }), 5000)).toBe(true);
  });

  it('leaves tiny bodies alone', () => {
    expect(shouldGzip(res(200, { 'content-type': 'application/json' }), GZIP_MIN_BYTES - 1)).toBe(false);
  });

  it('never compresses an event stream', () => {
    expect(shouldGzip(res(200, { 'content-type': 'text/event-stream; charset=utf-8' }), 100_000)).toBe(false);
  });

  it('does not compress twice, nor against no-transform, nor bodiless statuses', () => {
    expect(shouldGzip(res(200, { 'content-encoding': 'gzip' }), 100_000)).toBe(false);
    expect(shouldGzip(res(200, { 'cache-control': 'no-store, no-transform' }), 100_000)).toBe(false);
    expect(shouldGzip(res(204), 100_000)).toBe(false);
    expect(shouldGzip(res(304), 100_000)).toBe(false);
  });
});
