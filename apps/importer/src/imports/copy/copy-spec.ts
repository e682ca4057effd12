/** A row a compiled check accepted, or undefined: let the resource's own `parse` decide and name the reason. */
export type FastRow<T> = (values: string[]) => { key: string; value: T } | undefined;

/**
 * How a resource is imported through PostgreSQL COPY: each batch streams its valid rows into a
 * transaction-scoped staging table, then one set-based statement merges them into the resource
 * table and returns the staged rows it did not write. A resource that is only ever created can
 * instead name a `direct` COPY into its table, with the staging merge as the fallback.
 */
export interface CopySpec<T> {
  /** Name of the temporary staging table (dropped at commit). */
  stage: string;
  /** Its column definitions; the first column is `"row" int`, the file row. */
  stageColumns: string;
  /** Compiles the row checks for one file's header; undefined leaves every row to `parse`. */
  compile(header: string[], columns: string[]): FastRow<T> | undefined;
  /** One line of COPY text format for a valid row: the staging columns after `row`, newline included. */
  encode(value: T): string;
  /** Merge statement: `$1` owner, `$2` campaign, `$3` operation; returns `row`, `key` of each staged row not written. */
  merge: string;
  /** The failure reason of a row the merge did not write. */
  notWrittenReason(key: string): string;
  /** Writing straight into the resource table; without it every batch goes through the staging merge. */
  direct?: DirectCopy;
}

/**
 * A batch COPYed straight into the resource table: the staging table and the merge statement cost
 * about as much again as the COPY itself, and a row can only fail there because its key exists.
 * So the rows are COPYed in; should a key exist (a unique violation), the keys that exist are
 * looked up, their rows fail and the others are COPYed again. A key written in between by someone
 * else makes the batch fall back to the staging merge, which names the rows it could not write.
 */
export interface DirectCopy {
  /** Returns `key` for each of the keys `$2` (text[]) that exists for owner `$1`. */
  existing: string;
  /** `COPY … FROM STDIN` into the resource table: the prefix's columns, then the staging columns after `row`, in order. */
  copy: string;
  /** The leading COPY text of every line of one batch, tab included. */
  prefix(ownerId: string, campaignId: string | null, operationId: string): string;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value in COPY text format: `\N` for null; backslash, tab and line breaks escaped. */
export function copyText(v: string | null): string {
  if (v === null) return '\\N';
  return SPECIAL.test(v) ? v.replace(SPECIALS, (c) => ESCAPES[c]) : v;
}
