import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const pool = Buffer.alloc(8 * 1024);
let poolAt = pool.length;
let lastMs = -1;
let sequence = 0;

/**
 * A new order line id: a UUID version 7 (RFC 9562), i.e. the millisecond time first, then a
 * 12-bit sequence that keeps ids of one process increasing within a millisecond, then 62 random
 * bits. A batch's lines therefore land next to each other at the right edge of the primary-key
 * index, and each minor line's foreign-key check finds its major line on the pages just written,
 * where random (v4) ids sent every insert and every check to another leaf page.
 */
export function newOrderLineId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    // More than 4,096 ids in one millisecond: borrow the next one, still increasing.
    lastMs++;
    sequence = 0;
  }
  if (poolAt + 8 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const r = poolAt;
  poolAt += 8;
  const ms = lastMs;
  const high = Math.floor(ms / 0x1000000);
  const low = ms % 0x1000000;
  return (
    HEX[(high >>> 16) & 0xff] +
    HEX[(high >>> 8) & 0xff] +
    HEX[high & 0xff] +
    HEX[(low >>> 16) & 0xff] +
    '-' +
    HEX[(low >>> 8) & 0xff] +
    HEX[low & 0xff] +
    '-' +
    HEX[0x70 | (sequence >>> 8)] +
    HEX[sequence & 0xff] +
    '-' +
    HEX[0x80 | (pool[r] & 0x3f)] +
    HEX[pool[r + 1]] +
    '-' +
    HEX[pool[r + 2]] +
    HEX[pool[r + 3]] +
    HEX[pool[r + 4]] +
    HEX[pool[r + 5]] +
    HEX[pool[r + 6]] +
    HEX[pool[r + 7]]
  );
}
