import type { NextFunction, Request, Response } from 'express';
import { acceptsGzip } from './accept-encoding';
import { gzipBody } from './gzip-body';

/** Below this, gzip's header and the CPU cost outweigh the bytes saved. */
export const GZIP_MIN_BYTES = 1024;

/** Whether a complete response body is worth compressing, judged from what is already set on it. */
export function shouldGzip(res: Pick<Response, 'statusCode' | 'getHeader'>, size: number): boolean {
  if (size < GZIP_MIN_BYTES) return false;
  if (res.statusCode === 204 || res.statusCode === 304 || res.statusCode < 200) return false;
  const encoding = res.getHeader('Content-Encoding');
  if (encoding !== undefined && String(encoding).toLowerCase() !== 'identity') return false;
  const type = String(res.getHeader('Content-Type') ?? '').toLowerCase();
  // Event streams must reach the client event by event; compression would buffer them.
  if (type.startsWith('text/event-stream')) return false;
  return !/\bno-transform\b/i.test(String(res.getHeader('Cache-Control') ?? ''));
}

/** The ETag of a gzipped answer: a strong ETag names the identity bytes; the gzipped ones differ, so it may only be weak. */
export function gzippedEtag(etag: string): string {
  return etag.startsWith('W/') ? etag : `W/${etag}`;
}

/**
 * Gzips whole-body responses (everything sent with res.json / res.send) when the client asks.
 * Responses written in pieces (SSE, file streams) pass through untouched: they are either
 * streamed on purpose or already compressed by their route.
 */
export function gzipResponses() {
  return function gzipResponses(req: Request, res: Response, next: NextFunction): void {
    if (req.method === 'HEAD' || !acceptsGzip(req.headers['accept-encoding'])) {
      next();
      return;
    }
    res.vary('Accept-Encoding');
    const originalWrite = res.write.bind(res) as (...args: unknown[]) => boolean;
    const originalEnd = res.end.bind(res) as (...args: unknown[]) => Response;
    let streamed = false;
    res.write = ((...args: unknown[]) => {
      streamed = true;
      return originalWrite(...args);
    }) as Response['write'];
    res.end = ((chunk?: unknown, encoding?: unknown, callback?: unknown) => {
      if (typeof chunk === 'function') return originalEnd(chunk);
      if (streamed || res.headersSent || (typeof chunk !== 'string' && !Buffer.isBuffer(chunk))) return originalEnd(chunk, encoding, callback);
      const body = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      const done = typeof encoding === 'function' ? encoding : callback;
      if (!shouldGzip(res, body.length)) return originalEnd(body, done);
      const sendZipped = (zipped: Buffer): Response => {
        res.setHeader('Content-Encoding', 'gzip');
        res.setHeader('Content-Length', zipped.length);
        const etag = res.getHeader('ETag');
        if (typeof etag === 'string') res.setHeader('ETag', gzippedEtag(etag));
        return originalEnd(zipped, done);
      };
      let zipped: Buffer | Promise<Buffer>;
      try {
        zipped = gzipBody(body);
      } catch {
        return originalEnd(body, done);
      }
      // Most answers are compressed in this call (see gzip-body.ts); large ones finish on the thread pool.
      if (Buffer.isBuffer(zipped)) return sendZipped(zipped);
      zipped.then(
        (z) => (res.headersSent ? originalEnd(body, done) : sendZipped(z)),
        () => originalEnd(body, done),
      );
      return res;
    }) as Response['end'];
    next();
  };
}
