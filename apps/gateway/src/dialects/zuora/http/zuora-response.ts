import type { Request, Response } from 'express';
import { acceptsGzip } from '../../../core/http/accept-encoding';
import { gzipBody } from '../../../core/http/gzip-body';

/** Seed 003: responses "that contain over 1000 bytes" are compressed when the client asks. */
export const GZIP_THRESHOLD_BYTES = 1000;

/** Sends JSON the Zuora way: gzipped when asked and worth it. */
export async function sendZuoraJson(req: Request, res: Response, status: number, body: unknown): Promise<void> {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  res.status(status);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Vary', 'Accept-Encoding');
  if (json.length > GZIP_THRESHOLD_BYTES && acceptsGzip(req.headers['accept-encoding'])) {
    // The gateway's one compressor: the same level and the same synchronous path for small answers.
    const zipped = await gzipBody(json);
    res.setHeader('Content-Encoding', 'gzip');
    res.end(zipped);
    return;
  }
  res.end(json);
}
