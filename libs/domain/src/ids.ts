import { createHash, randomUUID } from 'node:crypto';

/**
 * A new operation id. Operations get UUIDs because Zuora's async-job contract (seed 003) requires the
 * job id to be one, and one id serves every dialect; v4 ids also need no coordination between services.
 */
export function newOperationId(): string {
  return randomUUID();
}

/**
 * The id of a child operation (a UUID in version-4 layout) derived from its parent's id and a label:
 * the service that owns the job names its children, and a retry that names the parent the same
 * way names every child the same way too.
 */
export function childOperationId(parentOperationId: string, label: string): string {
  const h = createHash('sha256').update(`${parentOperationId}:${label}`).digest();
  h[6] = (h[6] & 0x0f) | 0x40;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

// RFC 9562 layout: versions 1-8 and the RFC variant. The nil and max UUIDs are rejected on purpose:
// no operation ever has one, so seeing one means a placeholder leaked into a request.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Whether `x` is a UUID string. Lets the edge answer "not found" for a malformed id without asking the
 * database, which would reject it with an error rather than an empty result.
 */
export function isUuid(x: unknown): x is string {
  return typeof x === 'string' && UUID.test(x);
}
