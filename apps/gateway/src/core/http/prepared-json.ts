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
  const bytes = (prepared.bytes ??= Buffer.from(prepared.json, 'utf8'));
  const etagFn = app.get('etag fn') as EtagFn | undefined;
  if (typeof etagFn === 'function' && prepared.etagFn !== etagFn) {
    prepared.etag = etagFn(bytes);
    prepared.etagFn = etagFn;
  }
  res.status(200);
  res.setHeader('Content-Type', JSON_TYPE);
  if (typeof etagFn === 'function' && prepared.etag !== undefined) res.setHeader('ETag', prepared.etag);
  res.send(bytes);
}
