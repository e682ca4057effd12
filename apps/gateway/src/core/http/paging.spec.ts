import type { Request, Response } from 'express';
import { nextPageUrl, sendPage } from './paging';

function req(originalUrl: string): Request {
  return { originalUrl, protocol: 'https', get: (h: string) => (h.toLowerCase() === 'host' ? 'api.example.com' : undefined) } as unknown as Request;
}

describe('paging', () => {
  it('keeps the filters and replaces the cursor', () => {
    expect(nextPageUrl(req('/api/v1/operations?status=Failure&cursor=old&limit=5'), 'n/e+w')).toBe(
      'https://api.example.com/api/v1/operations?status=Failure&cursor=n%2Fe%2Bw&limit=5',
    );
  });

  it('never lets the path name another host', () => {
    expect(nextPageUrl(req('//evil.example/x'), 'c')).toBe('https://api.example.com//evil.example/x?cursor=c');
  });

  it('maps a tracker page and sets Link only when there is more', () => {
    const headers: Record<string, string> = {};
    const res = { setHeader: (k: string, v: string) => (headers[k] = v) } as unknown as Response;
    expect(sendPage(req('/api/v1/operations'), res, { items: [1, 2], nextCursor: 'c' })).toEqual({ data: [1, 2], nextCursor: 'c', hasMore: true });
    expect(headers.Link).toBe('<https://api.example.com/api/v1/operations?cursor=c>; rel="next"');
    delete headers.Link;
    expect(sendPage(req('/api/v1/operations'), res, { items: [], nextCursor: null })).toEqual({ data: [], nextCursor: null, hasMore: false });
    expect(headers.Link).toBeUndefined();
  });
});
