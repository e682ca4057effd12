import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';
import { HttpProtocolError, MalformedBodyError, PayloadTooLargeError, UnsupportedContentEncodingError } from '../errors/gateway-errors';
import type { DialectRegistry } from '../surfaces/dialect-registry';

export interface JsonBodyLimits {
  /** Cap for ordinary JSON routes. */
  defaultMaxBytes: number;
  /** Cap for the bulk routes the dialects declare, which carry thousands of items per call. */
  bulkMaxBytes: number;
}

/**
 * Bodies are small by default, so a client cannot make an ordinary route buffer megabytes; only
 * the routes a dialect declares bulk (bulk items, imports, upserts) get the large cap.
 */
export function jsonBodyLimitFor(path: string, limits: JsonBodyLimits, dialects: DialectRegistry): number {
  return dialects.isBulkJsonRoute(path) ? limits.bulkMaxBytes : limits.defaultMaxBytes;
}

export type BodyEncoding = 'identity' | 'gzip';

/** Content-Encoding of a request; throws 415 for anything but identity and gzip (one layer). */
export function contentEncodingOf(headers: IncomingMessage['headers']): BodyEncoding {
  const raw = headers['content-encoding'];
  if (raw === undefined) return 'identity';
  const value = raw.trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  throw new UnsupportedContentEncodingError(raw);
}

export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

/**
 * Reads the whole body, inflating gzip on the fly and counting the bytes that come OUT of the
 * decompressor: a small gzip body may expand a thousandfold, so the compressed size says nothing.
 * Reading stops as soon as the cap is passed, so memory never holds more than the cap plus one
 * chunk, and the rest of the upload is discarded unread.
 */
export function readLimitedBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = contentEncodingOf(req.headers);
  const declared = Number(req.headers['content-length']);
  if (encoding === 'identity' && Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return Promise.reject(new PayloadTooLargeError(maxBytes));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const gunzip = encoding === 'gzip' ? createGunzip() : undefined;
    const source: Readable = gunzip ? req.pipe(gunzip) : req;
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      source.removeListener('data', onData);
      if (error) {
        if (gunzip) {
          req.unpipe(gunzip);
          gunzip.destroy();
        }
        // Drain what the client still sends so the error answer can be read on this connection.
        req.resume();
        reject(error);
      } else {
        resolve(Buffer.concat(chunks, total));
      }
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > maxBytes) finish(new PayloadTooLargeError(maxBytes));
      else chunks.push(chunk);
    };
    source.on('data', onData);
    source.once('end', () => finish(null));
    source.once('error', () => finish(new MalformedBodyError('the gzip stream is corrupt or truncated')));
    req.once('aborted', () => finish(new MalformedBodyError('the request was aborted')));
  });
}

function isJsonMediaType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const media = contentType.split(';')[0].trim().toLowerCase();
  return media === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(media);
}

function charsetOf(contentType: string): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m?.[1].toLowerCase();
}

/**
 * Replaces Express's JSON parser so the cap depends on the route and applies after
 * decompression. Named `jsonParser` on purpose: Nest then sees a JSON parser is installed and
 * does not add its own behind it.
 */
export function jsonBodyParser(limits: JsonBodyLimits, dialects: DialectRegistry) {
  return function jsonParser(req: Request, _res: Response, next: NextFunction): void {
    if (!hasBody(req)) {
      next();
      return;
    }
    let encodingError: Error | undefined;
    try {
      contentEncodingOf(req.headers);
    } catch (e) {
      encodingError = e as Error;
    }
    const contentType = req.headers['content-type'];
    if (!isJsonMediaType(contentType)) {
      // Other parsers (uploads, forms) handle their own bodies, but none of them inflates more than gzip.
      if (encodingError) {
        req.resume();
        next(encodingError);
      } else next();
      return;
    }
    const charset = charsetOf(contentType as string);
    if (charset && charset !== 'utf-8' && charset !== 'utf8') {
      req.resume();
      next(new HttpProtocolError(415, `Charset "${charset.slice(0, 40)}" is not supported; send UTF-8.`));
      return;
    }
    readLimitedBody(req, jsonBodyLimitFor(req.path, limits, dialects)).then(
      (buffer) => {
        try {
          req.body = parseJson(buffer);
          next();
        } catch (e) {
          next(e);
        }
      },
      (e: unknown) => next(e),
    );
  };
}

/** Objects and arrays only, like body-parser's strict mode: a bare scalar is never a valid request. */
export function parseJson(buffer: Buffer): unknown {
  const text = buffer.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new MalformedBodyError((e as Error).message);
  }
  if (value === null || typeof value !== 'object') throw new MalformedBodyError('the body must be a JSON object or array');
  // JSON text holds a NUL only as the escape \u0000 (after an even run of backslashes); PostgreSQL text cannot store it.
  if (/(?:^|[^\\])(?:\\\\)*\\u0000/.test(text)) throw new MalformedBodyError('a string contains the NUL character (\\u0000), which no field accepts');
  return value;
}
