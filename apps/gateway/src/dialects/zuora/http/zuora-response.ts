import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response } from 'express';

const gzipAsync = promisify(gzip);

/** Seed 003: responses "that contain over 1000 bytes" are compressed when the client asks. */
export const GZIP_THRESHOLD_BYTES = 1000;

/** Whether Accept-Encoding admits gzip (q=0 refuses it; `*` admits it unless gzip is refused). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star: boolean | undefined;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const ok = q === undefined || Number(q.slice(2)) > 0;
    if (name === 'gzip' || name === 'x-gzip') return ok;
    if (name === '*') star = ok;
  }
  return star ?? false;
}

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
