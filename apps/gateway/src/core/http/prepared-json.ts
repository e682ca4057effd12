import type { Response } from 'express';
import type { EtagFn } from './read-edge';

/**
 * A response body kept and answered many times (a cached SOQL page): serialised once, and turned
 * into bytes and an ETag once per ETag function, so a repeat answer costs a socket write.
 */
export interface PreparedJson {
  readonly json: string;
  bytes?: Buffer;
  etag?: string;
  etagFn?: EtagFn;
}

const PREPARED = new WeakMap<object, PreparedJson>();
const JSON_TYPE = 'application/json; charset=utf-8';

/** The value's JSON, computed on the first call; the value must not change afterwards. */
export function prepareJson(value: object): PreparedJson {
  let prepared = PREPARED.get(value);
  if (!prepared) PREPARED.set(value, (prepared = { json: JSON.stringify(value) }));
  return prepared;
}

/** The prepared JSON of a value passed to prepareJson, else undefined. */
export function preparedJsonOf(value: unknown): PreparedJson | undefined {
  return typeof value === 'object' && value !== null ? PREPARED.get(value) : undefined;
}

/**
 * The value's JSON bytes and the ETag `etagFn` (Express's `etag fn`) gives them, each computed once
 * per value (and ETag function); the value must not change afterwards.
 */
export function jsonBytes(value: unknown, etagFn: EtagFn | undefined): { bytes: Buffer; etag: string | undefined } {
  if (typeof value !== 'object' || value === null) {
    // Nothing to remember it by: computed each time.
    const bytes = Buffer.from(JSON.stringify(value), 'utf8');
    return { bytes, etag: typeof etagFn === 'function' ? etagFn(bytes) : undefined };
  }
  const prepared = prepareJson(value);
  const bytes = (prepared.bytes ??= Buffer.from(prepared.json, 'utf8'));
  if (typeof etagFn === 'function' && prepared.etagFn !== etagFn) {
    prepared.etag = etagFn(bytes);
    prepared.etagFn = etagFn;
  }
  return { bytes, etag: typeof etagFn === 'function' ? prepared.etag : undefined };
}

/**
 * Answers 200 with the value as `res.json(value)` would (the same Content-Type, body bytes, ETag,
 * If-None-Match → 304 and HEAD, as `res.send` decides them), reusing what was prepared. Express's
 * JSON settings (`json replacer`, `json spaces`, `json escape`) change the bytes `res.json` writes:
 * with any of them set, `res.json` is used.
 */
export function sendJson(res: Response, value: unknown): void {
  const prepared = preparedJsonOf(value);
  const app = res.app as Response['app'] | undefined;
  if (!prepared || !app || app.get('json replacer') !== undefined || app.get('json spaces') !== undefined || app.get('json escape')) {
    res.status(200).json(value);
    return;
  }
  const { bytes, etag } = jsonBytes(value, app.get('etag fn') as EtagFn | undefined);
  res.status(200);
  res.setHeader('Content-Type', JSON_TYPE);
  if (etag !== undefined) res.setHeader('ETag', etag);
  res.send(bytes);
}
