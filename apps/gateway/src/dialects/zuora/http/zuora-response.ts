import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response } from 'express';
import { acceptsGzip } from '../../../core/http/accept-encoding';

const gzipAsync = promisify(gzip);

/** Seed 003: responses "that contain over 1000 bytes" are compressed when the client asks. */
export const GZIP_THRESHOLD_BYTES = 1000;

/** Sends JSON the Zuora way: gzipped when asked and worth it. */
export async function sendZuoraJson(req: Request, res: Response, status: number, body: unknown): Promise<void> {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  res.status(status);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Vary', 'Accept-Encoding');
  if (json.length > GZIP_THRESHOLD_BYTES && acceptsGzip(req.headers['accept-encoding'])) {
    const zipped = await gzipAsync(json);
    res.setHeader('Content-Encoding', 'gzip');
    res.end(zipped);
    return;
  }
  res.end(json);
}
