import type { RowFailure, ValidRow } from './resource-spec';

/**
 * Splits a batch into the first row of each key and the later repeats, which fail with `reason`:
 * one INSERT cannot touch the same key twice, and the file's first occurrence is the one kept.
 */
export function firstOfEachKey<T>(rows: ValidRow<T>[], reason: (key: string) => string): { unique: ValidRow<T>[]; repeats: RowFailure[] } {
  const seen = new Set<string>();
  const unique: ValidRow<T>[] = [];
  const repeats: RowFailure[] = [];
  for (const r of rows) {
    if (seen.has(r.key)) repeats.push({ row: r.row, key: r.key, reason: reason(r.key) });
    else {
      seen.add(r.key);
      unique.push(r);
    }
  }
  return { unique, repeats };
}

/** The rows whose key the database did not return: they were not written. */
export function notWritten<T>(rows: ValidRow<T>[], written: Array<{ key: string }>, reason: (key: string) => string): RowFailure[] {
  const ok = new Set(written.map((w) => w.key));
  return rows.filter((r) => !ok.has(r.key)).map((r) => ({ row: r.row, key: r.key, reason: reason(r.key) }));
}

/**
 * Writes the first row of each key (later repeats fail with `repeated`) and fails, with `notFound`,
 * the rows whose key the write did not return.
 */
export async function writeEachKeyOnce<T>(
  rows: ValidRow<T>[],
  repeated: (key: string) => string,
  write: (unique: ValidRow<T>[]) => Promise<Array<{ key: string }>>,
  notFound: (key: string) => string = repeated,
): Promise<RowFailure[]> {
  const { unique, repeats } = firstOfEachKey(rows, repeated);
  if (!unique.length) return repeats;
  return repeats.concat(notWritten(unique, await write(unique), notFound));
}
