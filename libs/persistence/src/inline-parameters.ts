import { escapeLiteral } from 'pg';

/** pg's own conversion of a parameter to its text form (arrays to array literals, dates, JSON): the driver exports it without typings. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

/**
 * `sql` with its `$1…$n` placeholders replaced by `values` as quoted SQL literals, converted to
 * text exactly as the driver converts parameters (so `'…'::jsonb` reads what `$1::jsonb` would),
 * for a statement sent over the simple query protocol together with other statements (a
 * transaction's last statement and its COMMIT in one round trip). Literals are quoted by pg's
 * `escapeLiteral`; an untyped literal is resolved from its context as an untyped parameter is.
 * Quoted identifiers and literals already in `sql`, and `--` comments, are copied as they are;
 * dollar-quoted and escape-string (`E'…'`) text is refused, since a `$n` or quote inside it could
 * not be told apart. Bytea values are refused (their text form would need the bytea escape).
 */
export function inlineParameters(sql: string, values: readonly unknown[]): string {
  if (/\$\$|\$[A-Za-z_][A-Za-z0-9_]*\$/.test(sql)) throw new Error('inlineParameters: dollar-quoted text is not supported');
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      if (c === "'" && /[Ee]/.test(sql[i - 1] ?? '') && !/[A-Za-z0-9_]/.test(sql[i - 2] ?? '')) throw new Error('inlineParameters: escape strings are not supported');
      const end = closingQuote(sql, i);
      out += sql.slice(i, end + 1);
      i = end + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '$' && /[0-9]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /[0-9]/.test(sql[j])) j++;
      const n = Number(sql.slice(i + 1, j));
      if (n < 1 || n > values.length) throw new Error(`inlineParameters: $${n} has no value (${values.length} given)`);
      out += literal(values[n - 1]);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The index of the quote that closes the one at `start` (a doubled quote is part of the text). */
function closingQuote(sql: string, start: number): number {
  const q = sql[start];
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] !== q) continue;
    if (sql[i + 1] === q) {
      i++;
      continue;
    }
    return i;
  }
  throw new Error('inlineParameters: unterminated quote');
}

function literal(value: unknown): string {
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return 'NULL';
  if (Buffer.isBuffer(prepared)) throw new Error('inlineParameters: bytea values are not supported');
  return escapeLiteral(String(prepared));
}
