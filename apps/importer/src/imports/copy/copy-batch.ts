import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { PermanentMessageError } from '@asyncops/messaging';
import { isUniqueViolation } from '@asyncops/persistence';
import { FileRejectedError } from '../../errors';
import { checkHeader, normalizeHeader } from '../csv/csv-reader';
import { CsvScanner } from '../csv/csv-scanner';
import { ResourceSpec, RowFailure } from '../rows/resource-spec';
import { CopySpec, DirectCopy } from './copy-spec';
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

/**
 * Valid rows of a batch in file order, up to one COPY write's worth: row numbers, keys and the
 * rows' COPY text, kept as one UTF-8 buffer (compact, and off the heap while read ahead).
 */
export interface StagedRows {
  rows: number[];
  keys: string[];
  /** The rows' staging columns after `row`, as `CopySpec.encode` writes them, one line each. */
  text: Buffer;
  /** Where each row's line ends in `text` (bytes). */
  ends: number[];
}

/** The chunk's lines, each led by `lead(i)`, as one buffer for COPY. */
function ledLines(c: StagedRows, lead: (i: number) => Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < c.ends.length; i++) {
    parts.push(lead(i), c.text.subarray(start, c.ends[i]));
    start = c.ends[i];
  }
  return Buffer.concat(parts);
}

/** A batch read and checked: its valid rows and everything else the cursor needs. */
export interface PreparedBatch {
  chunks: StagedRows[];
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
  /** Whether the batch had been read ahead while the previous one was written. */
  readAhead?: boolean;
  /** Milliseconds spent reading (or streaming into the staging table), looking up existing keys, and writing (profiling). */
  copyMs?: number;
  checkMs?: number;
  mergeMs?: number;
  /** Whether a direct COPY met a key written in between and the batch went through the staging merge. */
  fellBack?: boolean;
}

/**
 * One CSV batch through COPY, in the caller's transaction: the file is read from the cursor,
 * each record checked by the compiled rules (the resource's `parse` names the reason of any row
 * they do not accept), repeats within the batch fail, and the valid rows are written set-based.
 * With a `direct` COPY, the keys that exist fail their rows and the others are COPYed straight
 * into the resource table (the staging merge is the fallback on a key written in between);
 * otherwise they stream as COPY text into a staging table while the reading goes on, and one
 * merge statement writes them and returns those it could not write. Row numbers and reasons are
 * those of the row-by-row path.
 *
 * While the batch is written in the database, the next batch is read and checked here (pure work
 * on the immutable upload), so the next message finds it ready; a process that has no such
 * read-ahead (another replica, a restart) simply reads the batch itself.
 */
export async function copyCsvBatch<T>(input: CopyBatchInput<T>): Promise<CopyBatchResult> {
  const { manager: m, copy } = input;
  const t0 = performance.now();
  const ready = await input.readAhead?.take(readAheadKey(input));
  let batch: PreparedBatch;
  if (ready) batch = ready;
  else if (copy.direct) batch = await readBatch(input);
  else {
    // Staged while it is read: COPY overlaps the reading.
    await createStage(m, copy);
    let prepared: PreparedBatch | undefined;
    const chunks = async function* () {
      prepared = yield* prepareBatch(input);
    };
    await pipeline(
      Readable.from(
        (async function* () {
          for await (const c of chunks()) yield stageText(c);
        })(),
      ),
      copyIn(m, `COPY pg_temp."${copy.stage}" FROM STDIN`),
    );
    if (!prepared) throw new Error('the batch was not read to its end');
    batch = prepared;
  }
  if (input.byteOffset === 0 && !input.columns && batch.count === 0) throw new FileRejectedError('EMPTY_FILE', 'The file has a header row but no data rows.');
  if (ready && !copy.direct) {
    await createStage(m, copy);
    await pipeline(Readable.from(batch.chunks.map(stageText)), copyIn(m, `COPY pg_temp."${copy.stage}" FROM STDIN`));
  }
  const t1 = performance.now();
  if (input.readAhead && !batch.exhausted) {
    const next: CopyBatchInput<T> = { ...input, columns: batch.headerCells, byteOffset: input.byteOffset + batch.end, rowsBefore: input.rowsBefore + batch.count };
    input.readAhead.start(readAheadKey(next), () => readBatch(next));
  }
  const failures = batch.failures.slice();
  const profile = { readAhead: !!ready, copyMs: Math.round(t1 - t0) };
  if (copy.direct) {
    const written = await writeDirect(m, copy as CopySpec<unknown>, copy.direct, input, batch.chunks);
    failures.push(...written.failures);
    failures.sort((a, b) => a.row - b.row);
    return { done: written.done, failures, headerCells: batch.headerCells, count: batch.count, end: batch.end, exhausted: batch.exhausted, ...profile, checkMs: written.checkMs, mergeMs: written.writeMs, fellBack: written.fellBack };
  }
  const notWritten = await merge(m, copy as CopySpec<unknown>, input, batch.staged);
  failures.push(...notWritten);
  failures.sort((a, b) => a.row - b.row);
  return { done: batch.staged - notWritten.length, failures, headerCells: batch.headerCells, count: batch.count, end: batch.end, exhausted: batch.exhausted, ...profile, mergeMs: Math.round(performance.now() - t1) };
}

const readAheadKey = (p: BatchPosition) => `${p.operationId}:${p.byteOffset}:${p.rowsBefore}:${p.limit}`;

/** A whole batch read and checked into memory (a 20,000-row batch is a few MB of COPY text). */
async function readBatch<T>(input: CopyBatchInput<T>): Promise<PreparedBatch> {
  const gen = prepareBatch(input);
  for (;;) {
    const r = await gen.next();
    if (r.done) return r.value;
  }
}

/** Whose rows a batch writes. */
type WrittenFor = Pick<CopyBatchInput<unknown>, 'ownerId' | 'campaignId' | 'operationId'>;

async function createStage(m: EntityManager, copy: Pick<CopySpec<unknown>, 'stage' | 'stageColumns'>): Promise<void> {
  await m.query(`CREATE TEMP TABLE "${copy.stage}" (${copy.stageColumns}) ON COMMIT DROP`);
}

const copyIn = (m: EntityManager, statement: string) => rawClient(m).query(copyFrom(statement));

/** Staging table COPY text: the file row, then the row's columns. */
export function stageText(c: StagedRows): Buffer {
  return ledLines(c, (i) => Buffer.from(`${c.rows[i]}\t`));
}

/** The staged rows' merge; returns a failure for each staged row it did not write. */
async function merge(m: EntityManager, copy: CopySpec<unknown>, input: WrittenFor, staged: number): Promise<RowFailure[]> {
  if (!staged) return [];
  const notWritten: Array<{ row: number; key: string }> = await m.query(copy.merge, [input.ownerId, input.campaignId, input.operationId]);
  return notWritten.map((r) => ({ row: r.row, key: r.key, reason: copy.notWrittenReason(r.key) }));
}

/**
 * Splits a batch's rows on the keys that already exist: their rows fail with the resource's
 * reason, the others are kept in order (chunks left as they are when nothing exists).
 */
export function withoutExisting(chunks: StagedRows[], existing: ReadonlySet<string>, reason: (key: string) => string): { kept: StagedRows[]; failures: RowFailure[] } {
  if (!existing.size) return { kept: chunks, failures: [] };
  const failures: RowFailure[] = [];
  const kept = chunks.map((c) => {
    const out = { rows: [] as number[], keys: [] as string[], ends: [] as number[] };
    const parts: Buffer[] = [];
    let size = 0;
    c.keys.forEach((key, i) => {
      const start = i ? c.ends[i - 1] : 0;
      if (existing.has(key)) failures.push({ row: c.rows[i], key, reason: reason(key) });
      else {
        out.rows.push(c.rows[i]);
        out.keys.push(key);
        parts.push(c.text.subarray(start, c.ends[i]));
        size += c.ends[i] - start;
        out.ends.push(size);
      }
    });
    return { ...out, text: Buffer.concat(parts, size) };
  });
  return { kept: kept.filter((c) => c.rows.length), failures };
}

/** Resource table COPY text: the batch's leading columns, then the row's columns. */
export function directText(prefix: string, c: StagedRows): Buffer {
  const lead = Buffer.from(prefix);
  return ledLines(c, () => lead);
}

/**
 * The batch's rows COPYed straight into the resource table. Keys that exist are rare (a repeat from
 * an earlier batch, a file imported twice), and looking up 20,000 keys costs about half as much as
 * writing them, so the lookup is only made when the COPY meets one: each COPY runs under a
 * savepoint, a unique violation undoes it, the rows whose key exists fail and the others are COPYed
 * again; a second violation (a key written by another transaction since the lookup) sends them
 * through the staging merge instead.
 */
async function writeDirect(
  m: EntityManager,
  copy: CopySpec<unknown>,
  direct: DirectCopy,
  input: WrittenFor,
  chunks: StagedRows[],
): Promise<{ done: number; failures: RowFailure[]; checkMs: number; writeMs: number; fellBack: boolean }> {
  const t0 = performance.now();
  const staged = chunks.reduce((n, c) => n + c.rows.length, 0);
  if (!staged) return { done: 0, failures: [], checkMs: 0, writeMs: 0, fellBack: false };
  const prefix = direct.prefix(input.ownerId, input.campaignId, input.operationId);
  const copied = async (rows: StagedRows[]): Promise<boolean> => {
    await m.query('SAVEPOINT direct_copy');
    try {
      const texts = function* () {
        for (const c of rows) yield directText(prefix, c);
      };
      await pipeline(Readable.from(texts()), copyIn(m, direct.copy));
      await m.query('RELEASE SAVEPOINT direct_copy');
      return true;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      await m.query('ROLLBACK TO SAVEPOINT direct_copy');
      return false;
    }
  };
  if (await copied(chunks)) return { done: staged, failures: [], checkMs: 0, writeMs: Math.round(performance.now() - t0), fellBack: false };
  const t1 = performance.now();
  const existing: Array<{ key: string }> = await m.query(direct.existing, [input.ownerId, chunks.flatMap((c) => c.keys)]);
  const { kept, failures } = withoutExisting(chunks, new Set(existing.map((e) => e.key)), copy.notWrittenReason);
  const checkMs = Math.round(performance.now() - t1);
  const rows = staged - failures.length;
  if (!rows || (await copied(kept))) return { done: rows, failures, checkMs, writeMs: Math.round(performance.now() - t0) - checkMs, fellBack: false };
  await createStage(m, copy);
  await pipeline(Readable.from(kept.map(stageText)), copyIn(m, `COPY pg_temp."${copy.stage}" FROM STDIN`));
  const notWritten = await merge(m, copy, input, rows);
  return { done: rows - notWritten.length, failures: failures.concat(notWritten), checkMs, writeMs: Math.round(performance.now() - t0) - checkMs, fellBack: true };
}

/**
 * Reads and checks one batch, yielding its valid rows as it goes (so COPY can overlap the reading)
 * and returning the whole batch.
 */
async function* prepareBatch<T>(input: CopyBatchInput<T>): AsyncGenerator<StagedRows, PreparedBatch> {
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
    const chunks: StagedRows[] = [];
    const seen = new Set<string>();
    let count = 0;
    let end = 0;
    let staged = 0;
    while (count < limit) {
      const records = await scanner.read(Math.min(RECORDS_PER_WRITE, limit - count));
      if (!records.length) break;
      const chunk = { rows: [] as number[], keys: [] as string[], ends: [] as number[] };
      let text = '';
      let bytes = 0;
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
        chunk.rows.push(row);
        chunk.keys.push(accepted.key);
        const line = copy.encode(accepted.value);
        text += line;
        bytes += Buffer.byteLength(line);
        chunk.ends.push(bytes);
      }
      if (chunk.rows.length) {
        const staged: StagedRows = { ...chunk, text: Buffer.from(text) };
        chunks.push(staged);
        yield staged;
      }
    }
    return { chunks, failures, headerCells: header, staged, count, end, exhausted: count < limit };
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
