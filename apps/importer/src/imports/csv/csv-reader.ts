import { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { FileRejectedError } from '../../errors';

/** A longer record is not a CSV row anyone meant to write (a binary blob, a 10 MB line). */
export const MAX_RECORD_BYTES = 1024 * 1024;

export interface CsvRecord {
  values: string[];
  /** Byte offset, relative to where reading started, just after this record's delimiter. */
  end: number;
}

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
  const parser = parse({
    bom: options.atStart,
    relax_column_count: true,
    // Both endings in any mix; auto-detection would lock onto the first one it sees.
    record_delimiter: ['\r\n', '\n'],
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
    info: true,
  });
  const input = Readable.from(checkedText(source, options.atStart));
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  const wanted = options.limit + (options.atStart ? 1 : 0);
  const result: CsvReadResult = { records: [], exhausted: true };
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { bytes_records: number } }>) {
      if (options.atStart && !result.header) {
        result.header = item.record;
        continue;
      }
      result.records.push({ values: item.record, end: item.info.bytes_records });
      if (result.records.length + (options.atStart ? 1 : 0) >= wanted) {
        result.exhausted = false;
        break;
      }
    }
  } catch (e) {
    throw asFileError(e, options.rowsBefore + result.records.length + 1);
  } finally {
    input.unpipe(parser);
    input.destroy();
    parser.destroy();
  }
  return result;
}

/**
 * Passes the bytes through unchanged while proving they are text: a NUL byte or invalid UTF-8
 * means the upload is not a CSV file at all, which is a clearer reason than a parse error.
 */
async function* checkedText(source: AsyncIterable<Buffer>, atStart: boolean): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let seen = 0;
  for await (const chunk of source) {
    if (chunk.includes(0)) throw new FileRejectedError('NOT_CSV', 'The file is not a CSV file: it contains binary data.');
    try {
      decoder.decode(chunk, { stream: true });
    } catch {
      throw new FileRejectedError('NOT_CSV', 'The file is not a CSV file: it is not valid UTF-8 text.');
    }
    seen += chunk.length;
    yield chunk;
  }
  if (atStart && seen === 0) throw new FileRejectedError('EMPTY_FILE', 'The file is empty.');
}

function asFileError(e: unknown, row: number): unknown {
  if (e instanceof FileRejectedError) return e;
  if (e instanceof CsvError) {
    switch (e.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return new FileRejectedError('INVALID_CSV', `Invalid CSV: a quoted field opened at row ${row} is never closed.`);
      case 'CSV_MAX_RECORD_SIZE':
        return new FileRejectedError('INVALID_CSV', `Invalid CSV: row ${row} is longer than ${MAX_RECORD_BYTES} bytes.`);
      default:
        return new FileRejectedError('INVALID_CSV', `Invalid CSV at row ${row}: ${e.message}`);
    }
  }
  return e;
}

/** Header cells as lookup keys: `Discount Type`, `discount_type` and ` DISCOUNT TYPE ` are one column. */
export function normalizeHeader(cell: string): string {
  return cell.trim().toLowerCase().replace(/[\s-]+/g, '_');
}
