import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ImportFailureRow, ImportType, StartImportRequest, StartImportResult } from '@asyncops/contracts';
import type { MetadataUpdateResult } from '@asyncops/domain';
import type { OutboxWriter } from '@asyncops/messaging';
import { ImporterConfig } from '../../../config';
import { UploadIncompleteError, UploadNotFoundError } from '../../../errors';
import { campaignFor } from '../../../resources/campaigns/campaigns';
import { resultFailures, storeFailures, toItemFailure } from '../../batch/action-failures';
import { ActionHandler, BatchContext, CancelledOutcome, enqueueNextBatch, markDone } from '../../batch/action-handler';
import type { ActionRow } from '../../batch/action-row';
import { createAction, retriedStart } from '../../batch/action-start';
import { copyCsvBatch, PreparedBatch } from '../../copy/copy-batch';
import { ReadAhead } from '../../copy/read-ahead';
import { UploadReader } from '../../copy/upload-reader';
import { importResult, StoredBulkUpdateResult, StoredImportResult, updateResult } from '../../import-result';
import { IMPORT_KINDS, ImportKind } from '../../resource-specs';
import { estimatedRows } from './batch-rows';
import { rowBatch } from './row-batch';

/**
 * Imports, bulk updates and metadata updates of resources from an upload (CSV file or JSON items):
 * the upload is stored chunk by chunk before the action exists, then each batch reads from the
 * byte cursor, writes the valid rows and stores the failed ones. The types differ only in their
 * resource spec and in the layout of their result.
 */
@Injectable()
export class ResourceImportHandler implements ActionHandler {
  readonly types = Object.keys(IMPORT_KINDS) as ImportType[];
  private readonly log = new Logger(ResourceImportHandler.name);
  /** The next COPY batch of an import, read and checked while the current one merges. */
  private readonly readAhead = new ReadAhead<PreparedBatch>();

  constructor(
    @Inject(ImporterConfig) private readonly config: ImporterConfig,
    private readonly uploads: UploadReader,
  ) {}

  async start(m: EntityManager, outbox: OutboxWriter, req: StartImportRequest): Promise<StartImportResult> {
    const retried = await retriedStart(m, req, req.type);
    if (retried) return retried;
    const [upload]: Array<{ owner_id: string }> = await m.query(`SELECT "owner_id" FROM "importer"."upload" WHERE "id" = $1 FOR UPDATE`, [req.uploadId]);
    if ((upload && upload.owner_id !== req.ownerId) || (!upload && req.chunks > 0)) throw new UploadNotFoundError(req.uploadId);
    if (!upload) await m.query(`INSERT INTO "importer"."upload" ("id", "owner_id") VALUES ($1, $2)`, [req.uploadId, req.ownerId]);
    const [stored]: Array<{ chunks: number; bytes: string; max_seq: number | null }> = await m.query(
      `SELECT count(*)::int AS chunks, coalesce(sum(length("data")), 0)::bigint AS bytes, max("seq") AS max_seq FROM "importer"."upload_chunk" WHERE "upload_id" = $1`,
      [req.uploadId],
    );
    const storedBytes = Number(stored.bytes);
    if (stored.chunks !== req.chunks || storedBytes !== req.bytes || (req.chunks > 0 && stored.max_seq !== req.chunks - 1)) {
      throw new UploadIncompleteError(req.uploadId, { chunks: req.chunks, bytes: req.bytes }, { chunks: stored.chunks, bytes: storedBytes });
    }
    // Each chunk's offset in the file, so a batch finds its cursor's chunk without reading the ones before.
    await m.query(
      `UPDATE "importer"."upload_chunk" c SET "start_offset" = s.off
         FROM (SELECT "seq", sum(length("data")) OVER (ORDER BY "seq") - length("data") AS off FROM "importer"."upload_chunk" WHERE "upload_id" = $1) s
        WHERE c."upload_id" = $1 AND c."seq" = s."seq"`,
      [req.uploadId],
    );
    const campaignId = (req.type === 'CAMPAIGN.VOUCHERS_IMPORT_CSV' || req.type === 'CAMPAIGN.VOUCHERS_IMPORT') && req.campaignId ? await campaignFor(m, req.ownerId, req.campaignId) : null;
    const started = await createAction(m, outbox, {
      operationId: req.operationId,
      ownerId: req.ownerId,
      type: req.type,
      requestId: req.requestId,
      uploadId: req.uploadId,
      campaignId,
      totalBytes: storedBytes,
    });
    this.log.log({ msg: 'import submitted', operationId: started.operationId, type: req.type, bytes: storedBytes, event: 'import-submitted' });
    return started;
  }

  async runBatch(b: BatchContext): Promise<void> {
    const { m, action, batch } = b;
    const { format, spec, copy } = IMPORT_KINDS[action.type as ImportType];
    const offset = Number(action.byte_offset);
    const started = performance.now();
    const read =
      format === 'csv' && copy && action.upload_id
        ? await copyCsvBatch({
            manager: m,
            source: (uploadId, from) => this.uploads.chunks(uploadId, from),
            uploadId: action.upload_id,
            readAhead: this.readAhead,
            spec,
            copy,
            ownerId: action.owner_id,
            operationId: action.operation_id,
            campaignId: action.campaign_id,
            columns: action.columns,
            byteOffset: offset,
            rowsBefore: action.rows_read,
            limit: this.config.IMPORT_COPY_BATCH_SIZE,
          })
        : await rowBatch(m, action, spec, format, offset, this.config.IMPORT_BATCH_SIZE);
    const { done, failures, headerCells } = read;
    await storeFailures(m, action.operation_id, failures);
    const nextOffset = offset + read.end;
    const rowsRead = action.rows_read + read.count;
    await m.query(
      `UPDATE "importer"."async_action" SET "batch_number" = $2, "byte_offset" = $3, "rows_read" = $4, "done_count" = "done_count" + $5,
         "failed_count" = "failed_count" + $6, "columns" = $7 WHERE "operation_id" = $1`,
      [action.operation_id, batch, nextOffset, rowsRead, done, failures.length, headerCells ? JSON.stringify(headerCells) : null],
    );
    const totalBytes = Number(action.total_bytes);
    await b.rep.progressed(done, failures.map(toItemFailure), estimatedRows(rowsRead, nextOffset, totalBytes, read.exhausted));
    this.log.log({
      msg: 'batch imported',
      operationId: action.operation_id,
      batch,
      rows: read.count,
      failed: failures.length,
      ms: Math.round(performance.now() - started),
      ...('readAhead' in read ? { readAhead: read.readAhead, copyMs: read.copyMs, checkMs: read.checkMs, mergeMs: read.mergeMs, fellBack: read.fellBack } : {}),
      event: 'batch-imported',
    });
    if (!read.exhausted && nextOffset < totalBytes) return enqueueNextBatch(b);
    await this.finish(b, action.done_count + done, action.failed_count + failures.length);
  }

  async cancelledOutcome(m: EntityManager, action: ActionRow, done: number, failed: number, reportsTill: Date | undefined): Promise<CancelledOutcome> {
    const kind = IMPORT_KINDS[action.type as ImportType];
    const { result, summary } = outcomeOf(kind, done, failed, await resultFailures(m, action.operation_id), reportsTill);
    // Update layouts carry no counts of their own; a cancelled one says how far it got.
    return { result: kind.result === 'import' ? result : { done_count: done, failed_count: failed, ...result }, summary };
  }

  private async finish(b: BatchContext, done: number, failed: number): Promise<void> {
    const kind = IMPORT_KINDS[b.action.type as ImportType];
    const rows = await resultFailures(b.m, b.action.operation_id);
    const reportsTill = new Date(Date.now() + this.config.REPORT_RETENTION_DAYS * 86_400_000);
    await markDone(b, reportsTill);
    const { result, summary } = outcomeOf(kind, done, failed, rows, reportsTill);
    await b.rep.finished({
      status: failed ? 'CompletedWithFailures' : 'Completed',
      message: summary,
      totalJobItems: done + failed,
      successfulJobItems: done,
      failedJobItems: failed,
      result: { ...result },
    });
    this.log.log({ msg: 'import finished', operationId: b.action.operation_id, done, failed, event: 'import-finished' });
  }
}

/** The result in the type's layout of seed 001, and the message the tracker shows with it. */
function outcomeOf(kind: ImportKind, done: number, failed: number, rows: ImportFailureRow[], reportsTill: Date | undefined): { result: StoredImportResult | StoredBulkUpdateResult | MetadataUpdateResult; summary: string } {
  if (kind.result === 'import') {
    const result = importResult(kind.spec, done, failed, rows, reportsTill, kind.format === 'csv');
    return { result, summary: result.message };
  }
  // Update layouts carry no message of their own; the tracker's message counts what changed.
  return { result: updateResult(kind.result, kind.spec, done, failed, rows, reportsTill), summary: `${done} ${kind.spec.noun}(s) updated successfully, ${failed} failed.` };
}
