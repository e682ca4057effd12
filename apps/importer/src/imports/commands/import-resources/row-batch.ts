import type { EntityManager } from 'typeorm';
import { PermanentMessageError } from '@asyncops/messaging';
import { FileRejectedError } from '../../../errors';
import type { ActionRow } from '../../batch/action-row';
import type { CopyBatchResult } from '../../copy/copy-batch';
import { checkHeader, readCsvRecords } from '../../csv/csv-reader';
import { readJsonLines } from '../../json/json-lines-reader';
import type { ResourceSpec } from '../../rows/resource-spec';
import { checkCsvRecords, checkJsonItems, CheckedRows } from './batch-rows';

interface BatchRows extends CheckedRows {
  headerCells: string[] | null;
  /** Records or items consumed from the file. */
  count: number;
  /** Bytes consumed, relative to the batch's starting offset. */
  end: number;
  exhausted: boolean;
}

/** A batch row by row: parsed and validated into values, then written by the resource's `write`. */
export async function rowBatch(m: EntityManager, action: ActionRow, spec: ResourceSpec<unknown>, format: 'csv' | 'json', offset: number, limit: number): Promise<CopyBatchResult> {
  const rows = format === 'csv' ? await csvRows(m, action, spec, offset, limit) : await jsonRows(m, action, spec, offset, limit);
  const notWritten = rows.valid.length
    ? await spec.write({ manager: m, ownerId: action.owner_id, operationId: action.operation_id, campaignId: action.campaign_id }, rows.valid)
    : [];
  const failures = rows.failures.concat(notWritten).sort((a, b) => a.row - b.row);
  return { done: rows.valid.length - notWritten.length, failures, headerCells: rows.headerCells, count: rows.count, end: rows.end, exhausted: rows.exhausted };
}

/** The next CSV records from the cursor, validated; the header is read (and checked) once. */
async function csvRows(m: EntityManager, action: ActionRow, spec: ResourceSpec<unknown>, offset: number, limit: number): Promise<BatchRows> {
  const atStart = offset === 0 && !action.columns;
  const read = await readCsvRecords(chunksFrom(m, action.upload_id, offset), { atStart, limit, rowsBefore: action.rows_read });
  let headerCells = action.columns;
  if (read.header) {
    headerCells = read.header;
    checkHeader(spec.requiredColumns, headerCells);
  }
  if (!headerCells) throw new PermanentMessageError(`async action ${action.operation_id} has no header stored`);
  if (atStart && read.records.length === 0) throw new FileRejectedError('EMPTY_FILE', 'The file has a header row but no data rows.');
  const last = read.records[read.records.length - 1];
  return { ...checkCsvRecords(spec, headerCells, read.records, action.rows_read), headerCells, count: read.records.length, end: last ? last.end : 0, exhausted: read.exhausted };
}

/** The next items of a JSON import; `row` is the item's 1-based position (kept internally, not in the result). */
async function jsonRows(m: EntityManager, action: ActionRow, spec: ResourceSpec<unknown>, offset: number, limit: number): Promise<BatchRows> {
  const parseJson = spec.parseJson;
  if (!parseJson) throw new PermanentMessageError(`async action type ${action.type} has no JSON form`);
  const read = await readJsonLines(chunksFrom(m, action.upload_id, offset), limit);
  if (offset === 0 && read.lines.length === 0) throw new FileRejectedError('EMPTY_FILE', 'The request has no items.');
  const last = read.lines[read.lines.length - 1];
  return { ...checkJsonItems(parseJson, read.lines, action.rows_read), headerCells: null, count: read.lines.length, end: last ? last.end : 0, exhausted: read.exhausted };
}

/** The stored file from a byte offset on, one chunk at a time, so memory holds at most a chunk or two. */
async function* chunksFrom(m: EntityManager, uploadId: string | null, offset: number): AsyncGenerator<Buffer> {
  if (!uploadId) return;
  const [first]: Array<{ seq: number; start_offset: string }> = await m.query(
    `SELECT "seq", "start_offset" FROM "importer"."upload_chunk" WHERE "upload_id" = $1 AND "start_offset" <= $2 ORDER BY "seq" DESC LIMIT 1`,
    [uploadId, offset],
  );
  if (!first) return;
  for (let seq = first.seq; ; seq++) {
    const [chunk]: Array<{ data: Buffer; start_offset: string }> = await m.query(
      `SELECT "data", "start_offset" FROM "importer"."upload_chunk" WHERE "upload_id" = $1 AND "seq" = $2`,
      [uploadId, seq],
    );
    if (!chunk) return;
    const skip = Math.max(0, offset - Number(chunk.start_offset));
    if (skip < chunk.data.length) yield skip ? chunk.data.subarray(skip) : chunk.data;
  }
}
