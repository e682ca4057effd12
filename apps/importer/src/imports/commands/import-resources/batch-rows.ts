import type { CsvRecord } from '../../csv/csv-reader';
import { normalizeHeader } from '../../csv/csv-reader';
import { cellsOf } from '../../copy/copy-batch';
import type { JsonLine } from '../../json/json-lines-reader';
import type { ResourceSpec, RowFailure, RowOutcome, ValidRow } from '../../rows/resource-spec';

/** One batch's rows, checked: those to write and those already failed. */
export interface CheckedRows {
  valid: Array<ValidRow<unknown>>;
  failures: RowFailure[];
}

/** Sorts outcomes into valid rows and failures; `row` is the 1-based position in the file, header not counted. */
function sortOutcomes(outcomes: Array<RowOutcome<unknown> & { row: number }>): CheckedRows {
  const valid: Array<ValidRow<unknown>> = [];
  const failures: RowFailure[] = [];
  for (const o of outcomes) {
    if (o.ok) valid.push({ row: o.row, key: o.key, value: o.value });
    else failures.push({ row: o.row, key: o.key, reason: o.reason });
  }
  return { valid, failures };
}

/** CSV records under their header through the resource's `parse`; a record of the wrong width fails as is. */
export function checkCsvRecords(spec: ResourceSpec<unknown>, header: string[], records: CsvRecord[], rowsBefore: number): CheckedRows {
  const columns = header.map(normalizeHeader);
  const known = new Set(spec.knownColumns);
  return sortOutcomes(
    records.map((rec, i) => {
      const row = rowsBefore + i + 1;
      if (rec.values.length !== columns.length) return { row, ok: false, key: null, reason: `Row has ${rec.values.length} column(s) but the header has ${columns.length}` };
      const [cells, extra] = cellsOf(header, columns, known, rec.values);
      return { row, ...spec.parse(cells, extra) };
    }),
  );
}

/** The items of a JSON import through the resource's `parseJson`. */
export function checkJsonItems(parseJson: (item: unknown) => RowOutcome<unknown>, lines: JsonLine[], rowsBefore: number): CheckedRows {
  return sortOutcomes(lines.map((line, i) => ({ row: rowsBefore + i + 1, ...parseJson(line.value) })));
}

/**
 * The row count of an import is unknown until its end; the estimate from the bytes read so far gives
 * the tracker a progress figure (never less than what was read).
 */
export function estimatedRows(rowsRead: number, bytesRead: number, totalBytes: number, exhausted: boolean): number {
  return exhausted || bytesRead === 0 ? rowsRead : Math.max(rowsRead, Math.round((rowsRead * totalBytes) / bytesRead));
}
