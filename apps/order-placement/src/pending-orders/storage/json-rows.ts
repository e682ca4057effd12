/**
 * Rows for a set-based statement as one JSON text parameter, which PostgreSQL expands with
 * `json_to_recordset`: serialised natively in one call, instead of the driver quoting every element
 * of a dozen arrays (a chunk of pending orders carries thousands of lines and kilobytes of payload
 * per record).
 *
 * A lone UTF-16 surrogate is written by `JSON.stringify` as a `\ud8xx` escape, which PostgreSQL's
 * JSON refuses; as a text parameter the driver would have sent it as U+FFFD. Strings are made well
 * formed the same way first, so a stray surrogate stores as it did through arrays.
 */
export function jsonRows(rows: unknown): string {
  const json = JSON.stringify(rows);
  // Only a lone surrogate is escaped as \ud8xx-\udfff by JSON.stringify; a false alarm only costs a second pass.
  if (!/\\ud[89a-f]/i.test(json)) return json;
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'string' ? wellFormed(value) : value));
}

type WellFormed = { toWellFormed(): string };

const wellFormed = (s: string): string => (s as unknown as WellFormed).toWellFormed();
