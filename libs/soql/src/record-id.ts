import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BODY_LENGTH = 12;
const MAX_NUMBER = Number.MAX_SAFE_INTEGER;

/** Why an id was refused: `shape` ids are not ids at all, `value` ids look like ids but are not ours. */
export type RecordIdProblem = 'shape' | 'value';

export type DecodedRecordId = { ok: true; number: number; id18: string } | { ok: false; problem: RecordIdProblem };

const isAlnum = (s: string) => [...s].every((c) => BASE62.includes(c));
const isUpper = (c: string) => c >= 'A' && c <= 'Z';

/** Salesforce's 3-character case-safe suffix of a 15-character id. */
export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) if (isUpper(id15[chunk * 5 + i])) bits |= 1 << i;
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

/** 15 → 18 characters. */
export function to18(id15: string): string {
  return id15 + checksumSuffix(id15);
}

function base62(n: number, width: number): string {
  let out = '';
  let rest = n;
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/**
 * A record id made from the record's auto-number: key prefix, the number in base 62 over 12
 * characters, then the case-safe suffix. Reversible, so no id table is needed.
 */
export function encodeRecordId(prefix: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not an auto-number: ${n}`);
  return to18(prefix + base62(n, BODY_LENGTH));
}

/**
 * The 18-character form restores the case of the first 15 characters from the suffix, as
 * Salesforce does, so case-insensitive tools can pass ids through unharmed.
 */
export function decodeRecordId(prefix: string, id: string): DecodedRecordId {
  if ((id.length !== 15 && id.length !== 18) || !isAlnum(id)) return { ok: false, problem: 'shape' };
  let id15 = id.slice(0, 15);
  if (id.length === 18) {
    const suffix = id.slice(15).toUpperCase();
    if (![...suffix].every((c) => CHECKSUM_ALPHABET.includes(c))) return { ok: false, problem: 'value' };
    let fixed = '';
    for (let chunk = 0; chunk < 3; chunk++) {
      const bits = CHECKSUM_ALPHABET.indexOf(suffix[chunk]);
      for (let i = 0; i < 5; i++) {
        const c = id15[chunk * 5 + i];
        fixed += bits & (1 << i) ? c.toUpperCase() : c.toLowerCase();
      }
    }
    id15 = fixed;
    if (checksumSuffix(id15) !== suffix) return { ok: false, problem: 'value' };
  }
  if (id15.slice(0, 3) !== prefix) return { ok: false, problem: 'value' };
  let n = 0;
  for (const c of id15.slice(3)) {
    n = n * 62 + BASE62.indexOf(c);
    if (n > MAX_NUMBER) return { ok: false, problem: 'value' };
  }
  if (n < 1) return { ok: false, problem: 'value' };
  return { ok: true, number: n, id18: to18(id15) };
}

/**
 * Owners are API clients, not records here: their User-style id is derived from the client id.
 * One-way, which is enough: a client only ever sees its own owner id.
 */
export function ownerRecordId(prefix: string, clientId: string): string {
  const digest = createHash('sha256').update(clientId).digest();
  return to18(prefix + base62(digest.readUIntBE(0, 6), BODY_LENGTH));
}

/** Salesforce's dateTime wire format: `2024-01-31T12:34:56.000+0000`. */
export function salesforceDateTime(iso: string | Date): string {
  // Values read from storage already are canonical UTC ISO strings: only the zone is respelt.
  if (typeof iso === 'string' && iso.length === 24 && iso[23] === 'Z' && iso[10] === 'T') return `${iso.slice(0, 23)}+0000`;
  return (typeof iso === 'string' ? new Date(iso) : iso).toISOString().replace('Z', '+0000');
}
