import { createHash } from 'node:crypto';

/**
 * A UUID (v5 layout) derived from a name. Messages that must exist once per action and batch get
 * the same id however often they are written, so the consumers' dedupe absorbs any repeat.
 */
export function nameBasedMessageId(name: string): string {
  const b = createHash('sha1').update(`asyncops/importer/${name}`).digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
