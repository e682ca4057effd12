import { canonicalJson, checkIdempotencyKey, decide, IdempotencyRecord, requestHash } from './idempotency-decision';
import { IdempotencyKeyInvalidError } from './idempotency-errors';

const now = new Date('2026-11-24T12:00:00Z');
const later = (s: number) => new Date(now.getTime() + s * 1000);
const hash = requestHash('POST', '/v1/async/orders', { a: 1 });

const record = (patch: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  requestHash: hash,
  state: 'completed',
  executionId: 'exec-1',
  responseStatus: 202,
  responseBody: { jobId: 'j', success: true },
  lockedUntil: later(-1),
  expiresAt: later(3600),
  ...patch,
});

describe('idempotency decisions', () => {
  it('runs a request whose key is new or expired, with a fresh execution', () => {
    expect(decide(null, hash, now)).toEqual({ kind: 'execute', executionId: null });
    expect(decide(record({ expiresAt: now }), hash, now)).toEqual({ kind: 'execute', executionId: null });
    // Expired means forgotten, even with another body.
    expect(decide(record({ expiresAt: later(-1), requestHash: 'other' }), hash, now)).toEqual({ kind: 'execute', executionId: null });
  });

  it('replays the stored answer to the same request', () => {
    expect(decide(record(), hash, now)).toEqual({ kind: 'replay', status: 202, body: { jobId: 'j', success: true } });
  });

  it('refuses the key for a different request, whatever the state', () => {
    for (const state of ['completed', 'running', 'failed'] as const) {
      expect(decide(record({ state, requestHash: 'other', lockedUntil: later(60) }), hash, now)).toEqual({ kind: 'mismatch' });
    }
  });

  it('answers in-progress while the first request holds its lease', () => {
    expect(decide(record({ state: 'running', responseStatus: null, responseBody: null, lockedUntil: later(30) }), hash, now)).toEqual({ kind: 'in-progress' });
  });

  it('re-runs an abandoned or failed attempt under the same execution id', () => {
    expect(decide(record({ state: 'running', lockedUntil: now }), hash, now)).toEqual({ kind: 'execute', executionId: 'exec-1' });
    expect(decide(record({ state: 'failed' }), hash, now)).toEqual({ kind: 'execute', executionId: 'exec-1' });
  });
});

describe('request identity', () => {
  it('ignores key order and undefined members but not values, route or method', () => {
    expect(requestHash('POST', '/x', { a: 1, b: { c: [1, { d: 2, e: 3 }] } })).toBe(requestHash('post', '/x', { b: { c: [1, { e: 3, d: 2 }] }, a: 1, z: undefined }));
    expect(requestHash('POST', '/x', { a: 1 })).not.toBe(requestHash('POST', '/x', { a: 2 }));
    expect(requestHash('POST', '/x', { a: 1 })).not.toBe(requestHash('POST', '/y', { a: 1 }));
    expect(requestHash('POST', '/x', [1, 2])).not.toBe(requestHash('POST', '/x', [2, 1]));
    expect(canonicalJson({ b: 'x', a: null })).toBe('{"a":null,"b":"x"}');
  });
});

describe('checkIdempotencyKey', () => {
  it('accepts 1 to 255 printable ASCII characters', () => {
    expect(() => checkIdempotencyKey('k'.repeat(255))).not.toThrow();
    expect(() => checkIdempotencyKey('order 4711/retry-2')).not.toThrow();
  });

  it.each([[''], ['k'.repeat(256)], ['caf\u00e9'], ['line\nbreak']])('refuses %j with a 400', (key) => {
    expect(() => checkIdempotencyKey(key)).toThrow(IdempotencyKeyInvalidError);
    try {
      checkIdempotencyKey(key);
    } catch (e) {
      expect((e as IdempotencyKeyInvalidError).status).toBe(400);
    }
  });
});
