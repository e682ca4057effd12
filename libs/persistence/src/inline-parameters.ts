import { escapeLiteral } from 'pg';

/** pg's own conversion of a parameter to its text form (arrays to array literals, dates, JSON): the driver exports it without typings. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

/** A statement and its parameters, as `query(sql, values)` takes them. */
export interface SqlStatement {
  sql: string;
  values: unknown[];
}

/**
 * The statement and a COMMIT as one simple-protocol message (its values inlined): the statement
 * ends its transaction. If it fails, the COMMIT is not run and the transaction stays open, aborted,
 * for the caller to roll back.
 */
export function withCommit(statement: SqlStatement): string {
  return `${inlineParameters(statement.sql, statement.values)};\nCOMMIT`;
}

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
  // Quoted literals and identifiers and comments are matched whole (and kept), so nothing inside them
  // is read as a placeholder or an escape string; a quote left alone opens text that never ends.
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|(?<![A-Za-z0-9_])[Ee]'|['"]|\$([0-9]+)/g, (match, n?: string) => {
    if (n === undefined) {
      if (match.length === 2) throw new Error('inlineParameters: escape strings are not supported');
      if (match === "'" || match === '"') throw new Error('inlineParameters: unterminated quote');
      return match;
    }
    const i = Number(n);
    if (i < 1 || i > values.length) throw new Error(`inlineParameters: $${i} has no value (${values.length} given)`);
    return literal(values[i - 1]);
  });
}

function literal(value: unknown): string {
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return 'NULL';
  if (Buffer.isBuffer(prepared)) throw new Error('inlineParameters: bytea values are not supported');
  return escapeLiteral(String(prepared));
}
