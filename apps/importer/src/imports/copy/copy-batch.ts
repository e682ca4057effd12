import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { PermanentMessageError } from '@asyncops/messaging';
import { FileRejectedError } from '../../errors';
import { checkHeader, normalizeHeader } from '../csv/csv-reader';
import { CsvScanner } from '../csv/csv-scanner';
import { ResourceSpec, RowFailure } from '../rows/resource-spec';
import { CopySpec } from './copy-spec';
import { ReadAhead } from './read-ahead';

/** Records handed to COPY per write: large enough to amortise, small enough to overlap parsing with the server's work. */
const RECORDS_PER_WRITE = 1000;

/** Where a batch starts in the file and what it needs to read it. */
export interface BatchPosition {
  operationId: string;
  uploadId: string;
  /** Header cells stored by the first batch; null before it. */
  columns: string[] | null;
  byteOffset: number;
  rowsBefore: number;
  limit: number;
}

export interface CopyBatchInput<T> extends BatchPosition {
  manager: EntityManager;
  /** The stored file from a byte offset on. */
  source: (uploadId: string, offset: number) => AsyncIterable<Buffer>;
  spec: ResourceSpec<T>;
  copy: CopySpec<T>;
  ownerId: string;
  campaignId: string | null;
  /** Batches prepared ahead while the previous one merged (optional). */
  readAhead?: ReadAhead<PreparedBatch>;
}

/** A batch read and checked: COPY text of its valid rows and everything else the cursor needs. */
export interface PreparedBatch {
  texts: string[];
  failures: RowFailure[];
  headerCells: string[];
  staged: number;
  count: number;
  end: number;
  exhausted: boolean;
}

export interface CopyBatchResult {
  /** Rows written to the resource table. */
  done: number;
  /** Every row of the batch that was not written, in row order. */
  failures: RowFailure[];
  headerCells: string[] | null;
  /** Records consumed from the file. */
  count: number;
  /** Bytes consumed, relative to the batch's starting offset. */
  end: number;
  exhausted: boolean;
  /** Whether the batch had been read ahead while the previous one merged. */
  readAhead?: boolean;
  /** Milliseconds spent streaming into the staging table and merging (profiling). */
  copyMs?: number;
  mergeMs?: number;
}

/**
 * One CSV batch through COPY, in the caller's transaction: the file is read from the cursor,
 * each record checked by the compiled rules (the resource's `parse` names the reason of any row
 * they do not accept), repeats within the batch fail, valid rows stream as COPY text into a
 * staging table while the reading goes on, and one merge statement writes them and returns those
 * it could not write. Row numbers and reasons are those of the row-by-row path.
 *
 * While the merge runs in the database, the next batch is read and checked here (pure work on
 * the immutable upload), so the next message finds it ready; a process that has no such
 * read-ahead (another replica, a restart) simply reads the batch itself.
 */
export async function copyCsvBatch<T>(input: CopyBatchInput<T>): Promise<CopyBatchResult> {
  const { manager: m, copy } = input;
  await m.query(`CREATE TEMP TABLE "${copy.stage}" (${copy.stageColumns}) ON COMMIT DROP`);
  const copyIn = () => rawClient(m).query(copyFrom(`COPY pg_temp."${copy.stage}" FROM STDIN`));
  const t0 = performance.now();
  const ready = await input.readAhead?.take(readAheadKey(input));
  let batch: PreparedBatch;
  if (ready) {
    batch = ready;
    await pipeline(Readable.from(ready.texts), copyIn());
  } else {
    let prepared: Omit<PreparedBatch, 'texts'> | undefined;
    const texts = async function* () {
      prepared = yield* prepareBatch(input);
    };
    await pipeline(Readable.from(texts()), copyIn());
    if (!prepared) throw new Error('the batch was not read to its end');
    batch = { ...prepared, texts: [] };
  }
  if (input.byteOffset === 0 && !input.columns && batch.count === 0) throw new FileRejectedError('EMPTY_FILE', 'The file has a header row but no data rows.');
  const t1 = performance.now();
  const merging: Promise<Array<{ row: number; key: string }>> = batch.staged ? m.query(copy.merge, [input.ownerId, input.campaignId, input.operationId]) : Promise.resolve([]);
  if (input.readAhead && !batch.exhausted) {
    const next: CopyBatchInput<T> = { ...input, columns: batch.headerCells, byteOffset: input.byteOffset + batch.end, rowsBefore: input.rowsBefore + batch.count };
    input.readAhead.start(readAheadKey(next), async () => {
      const texts: string[] = [];
      const gen = prepareBatch(next);
      for (;;) {
        const r = await gen.next();
        if (r.done) return { ...r.value, texts };
        texts.push(r.value);
      }
    });
  }
  const notWritten = await merging;
  const t2 = performance.now();
  const failures = batch.failures.slice();
  for (const r of notWritten) failures.push({ row: r.row, key: r.key, reason: copy.notWrittenReason(r.key) });
  failures.sort((a, b) => a.row - b.row);
  return { done: batch.staged - notWritten.length, failures, headerCells: batch.headerCells, count: batch.count, end: batch.end, exhausted: batch.exhausted, readAhead: !!ready, copyMs: Math.round(t1 - t0), mergeMs: Math.round(t2 - t1) };
}

const readAheadKey = (p: BatchPosition) => `${p.operationId}:${p.byteOffset}:${p.rowsBefore}:${p.limit}`;

/**
 * Reads and checks one batch, yielding COPY text as it goes (so COPY overlaps the reading) and
 * returning the rest of the batch's figures.
 */
async function* prepareBatch<T>(input: CopyBatchInput<T>): AsyncGenerator<string, Omit<PreparedBatch, 'texts'>> {
  const { spec, copy, limit, rowsBefore } = input;
  const atStart = input.byteOffset === 0 && !input.columns;
  const scanner = new CsvScanner(input.source(input.uploadId, input.byteOffset), { atStart, rowsBefore });
  try {
    let headerCells = input.columns;
    if (atStart) {
      const header = await scanner.next();
      headerCells = header?.values ?? [];
      checkHeader(spec.requiredColumns, headerCells);
    }
    if (!headerCells) throw new PermanentMessageError(`async action ${input.operationId} has no header stored`);
    const header = headerCells;
    const columns = header.map(normalizeHeader);
    const known = new Set(spec.knownColumns);
    const fast = copy.compile(header, columns);
    const failures: RowFailure[] = [];
    const seen = new Set<string>();
    let count = 0;
    let end = 0;
    let staged = 0;
    while (count < limit) {
      const records = await scanner.read(Math.min(RECORDS_PER_WRITE, limit - count));
      if (!records.length) break;
      let text = '';
      for (const rec of records) {
        const row = rowsBefore + ++count;
        end = rec.end;
        if (rec.values.length !== columns.length) {
          failures.push({ row, key: null, reason: `Row has ${rec.values.length} column(s) but the header has ${columns.length}` });
          continue;
        }
        let accepted = fast?.(rec.values);
        if (!accepted) {
          const outcome = spec.parse(...cellsOf(header, columns, known, rec.values));
          if (!outcome.ok) {
            failures.push({ row, key: outcome.key, reason: outcome.reason });
            continue;
          }
          accepted = outcome;
        }
        if (seen.has(accepted.key)) {
          failures.push({ row, key: accepted.key, reason: copy.notWrittenReason(accepted.key) });
          continue;
        }
        seen.add(accepted.key);
        staged++;
        text += copy.encode(row, accepted.value);
      }
      if (text) yield text;
    }
    return { failures, headerCells: header, staged, count, end, exhausted: count < limit };
  } finally {
    await scanner.close();
  }
}

/** A record as the row-by-row `parse` takes it: known columns by name, every other non-empty one as metadata. */
export function cellsOf(header: string[], columns: string[], known: ReadonlySet<string>, values: string[]): [Record<string, string>, Record<string, string>] {
  const cells: Record<string, string> = {};
  const extra: Record<string, string> = {};
  columns.forEach((c, j) => {
    if (known.has(c)) cells[c] = values[j];
    else if (values[j] !== '' && header[j].trim() !== '') extra[header[j].trim()] = values[j];
  });
  return [cells, extra];
}

/** The pg connection under the transaction's query runner: COPY needs the driver itself. */
function rawClient(m: EntityManager): PoolClient {
  const connection = (m.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined)?.databaseConnection;
  if (!connection) throw new Error('COPY needs a transaction with a connected query runner');
  return connection;
}
