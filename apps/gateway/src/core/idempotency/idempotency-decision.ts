import { createHash } from 'node:crypto';
import { IdempotencyKeyInvalidError, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-errors';

/** What the store holds for a key. */
export interface IdempotencyRecord {
  requestHash: string;
  state: 'running' | 'completed' | 'failed';
  executionId: string;
  responseStatus: number | null;
  responseBody: unknown;
  lockedUntil: Date;
  expiresAt: Date;
}

export type IdempotencyDecision =
  /** Nothing (alive) under the key, or a dead attempt of the same request: run it. */
  | { kind: 'execute'; executionId: string | null }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' };

/**
 * What a request carrying an already-stored key gets. Expired records count as absent. A
 * running record whose lease ran out belongs to a gateway that died mid-request, and a failed
 * one to a request that ended in an error before it produced an answer: both may be run again,
 * with the same execution id, so work keyed on it (the job id) is still done once.
 */
export function decide(record: IdempotencyRecord | null, requestHash: string, now: Date): IdempotencyDecision {
  if (!record || record.expiresAt <= now) return { kind: 'execute', executionId: null };
  if (record.requestHash !== requestHash) return { kind: 'mismatch' };
  if (record.state === 'completed') return { kind: 'replay', status: record.responseStatus ?? 200, body: record.responseBody };
  if (record.state === 'running' && record.lockedUntil > now) return { kind: 'in-progress' };
  return { kind: 'execute', executionId: record.executionId };
}

/** Printable ASCII, 1-255 characters: it is a header value and a database key. */
export function checkIdempotencyKey(key: string): void {
  if (key.length === 0) throw new IdempotencyKeyInvalidError('must not be empty');
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw new IdempotencyKeyInvalidError(`must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters (got ${key.length})`);
  if (!/^[\x20-\x7e]+$/.test(key)) throw new IdempotencyKeyInvalidError('must use printable US-ASCII characters only');
}

/** JSON with object keys sorted, so the same body hashes the same whatever its key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** A request's identity for key reuse: method, route and body. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()} ${path}\n${canonicalJson(body ?? null)}`).digest('hex');
}
