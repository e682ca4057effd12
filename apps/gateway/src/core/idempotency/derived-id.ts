import { createHash } from 'node:crypto';

/**
 * A UUID (version-4 layout) derived from an idempotent execution id and a label, so that a retry
 * of a keyed request names every operation it creates the same way as its first attempt did.
 */
export function derivedOperationId(executionId: string, label: string): string {
  const h = createHash('sha256').update(`${executionId}:${label}`).digest();
  h[6] = (h[6] & 0x0f) | 0x40;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
