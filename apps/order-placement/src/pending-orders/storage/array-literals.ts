/**
 * PostgreSQL array literals for `unnest` parameters, built in one pass per column: the driver's own
 * array encoding quotes and escapes every element with regular expressions, which for a chunk's
 * thousands of order lines costs more than the statement. PostgreSQL reads these as fast as the
 * driver's.
 */

/** Numbers, or decimal texts of digits, sign and point only (amounts this service computed). */
export function numberArray(values: ReadonlyArray<number | string>): string {
  return `{${values.join(',')}}`;
}

const SPECIAL = /["\\]/g;

/** Any texts: each quoted, `"` and `\` escaped; null is NULL. */
export function textArray(values: ReadonlyArray<string | null | undefined>): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    out += v === null || v === undefined ? 'NULL' : `"${v.replace(SPECIAL, '\\$&')}"`;
  }
  return `${out}}`;
}
