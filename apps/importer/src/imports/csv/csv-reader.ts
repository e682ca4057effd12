import { FileRejectedError } from '../../errors';
import { CsvRecord, CsvScanner, MAX_RECORD_BYTES } from './csv-scanner';

export type { CsvRecord };
export { CsvScanner, MAX_RECORD_BYTES };

export interface CsvReadResult {
  header?: string[];
  records: CsvRecord[];
  /** True when the input ended before `limit` records were read. */
  exhausted: boolean;
}

export interface CsvReadOptions {
  /** Reading from the start of the file: strip a BOM and take the first record as the header. */
  atStart: boolean;
  limit: number;
  /** Number of data rows before the first record read here, for error messages. */
  rowsBefore: number;
}

/**
 * Reads up to `limit` records from a byte stream that starts at a record boundary. Each record
 * carries the offset after it, so a batch can persist exactly where the next one resumes: the
 * file is never parsed from the beginning again. Syntax errors end the file's import (a broken
 * quote makes every later row ambiguous) and are reported with the row they occurred in.
 */
export async function readCsvRecords(source: AsyncIterable<Buffer>, options: CsvReadOptions): Promise<CsvReadResult> {
  const scanner = new CsvScanner(source, options);
  try {
    const result: CsvReadResult = { records: [], exhausted: true };
    if (options.atStart) {
      const header = await scanner.next();
      if (header) result.header = header.values;
    }
    result.records = await scanner.read(options.limit);
    result.exhausted = result.records.length < options.limit;
    return result;
  } finally {
    await scanner.close();
  }
}

/** Header cells as lookup keys: `Discount Type`, `discount_type` and ` DISCOUNT TYPE ` are one column. */
export function normalizeHeader(cell: string): string {
  return cell.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** The header must name every required column; the file is rejected as a whole otherwise. */
export function checkHeader(requiredColumns: readonly string[], headerCells: string[]): void {
  const names = headerCells.map(normalizeHeader);
  const missing = requiredColumns.filter((c) => !names.includes(c));
  if (missing.length) {
    throw new FileRejectedError('INVALID_HEADER', `The CSV header row must contain the column(s) ${missing.join(', ')}; found: ${headerCells.slice(0, 20).join(', ') || '(none)'}.`);
  }
}
