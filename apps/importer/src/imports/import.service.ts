import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AppendUploadChunkRequest,
  DiscardUploadRequest,
  DiscardUploadResult,
  AppendUploadChunkResult,
  ImportType,
  ExchangeRole,
  Headers,
  ImportBatchCommand,
  ImporterCommands,
  ImportFailureRow,
  ImportFailuresPage,
  ItemFailure,
  ListImportFailuresRequest,
  OperationSubmitted,
  SubmittedJob,
  StartCampaignChangeRequest,
  StartGenerationRequest,
  StartImportRequest,
  StartImportResult,
  StartMetadataPurgeRequest,
  METADATA_PURGE_TYPES,
  PurgeableResource,
} from '@asyncops/contracts';
import { newOperationId } from '@asyncops/domain';
import { announceSubmitted, IncomingMessage, OutboxWriter, PermanentMessageError, ProgressReporter } from '@asyncops/messaging';
import { ImporterConfig } from '../config';
import { CAMPAIGN_DELETE_TYPE, CAMPAIGN_UPDATE_TYPE, GENERATE_TYPE, generateCodes, PURGE_TABLES } from '../generation/code-generator';
import { ActionConflictError, ActionNotFoundError, CampaignNotFoundError, CodeSpaceExhaustedError, FileRejectedError, ImportAbortedError, ImportFailure, UploadIncompleteError, UploadNotFoundError } from '../errors';
import { nameBasedMessageId } from '../message-ids';
import { normalizeHeader, readCsvRecords } from './csv/csv-reader';
import { copyCsvBatch, CopyBatchResult, PreparedBatch } from './copy/copy-batch';
import { ReadAhead } from './copy/read-ahead';
import { UploadReader } from './copy/upload-reader';
import { importResult, RESULT_FAILED_LIMIT, updateResult } from './import-result';
import { readJsonLines } from './json/json-lines-reader';
import { IMPORT_KINDS } from './resource-specs';
import { ResourceSpec, RowFailure, ValidRow } from './rows/resource-spec';

export const PRODUCER = 'importer';

type PurgeType = (typeof METADATA_PURGE_TYPES)[PurgeableResource];
const PURGE_TYPES: ReadonlySet<string> = new Set(Object.values(METADATA_PURGE_TYPES));

interface ActionRow {
  operation_id: string;
  owner_id: string;
  type: ImportType | typeof GENERATE_TYPE | typeof CAMPAIGN_UPDATE_TYPE | typeof CAMPAIGN_DELETE_TYPE | PurgeType;
  upload_id: string | null;
  campaign_id: string | null;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  batch_number: number;
  byte_offset: string;
  total_bytes: string;
  rows_read: number;
  done_count: number;
  failed_count: number;
  columns: string[] | null;
  last_reported_at: Date | null;
  reports_available_till: Date | null;
  cancel_requested_at: Date | null;
  request_id: string | null;
  created_at: Date;
}

type AnnouncedAction = Pick<ActionRow, 'operation_id' | 'owner_id' | 'type' | 'request_id' | 'created_at' | 'columns'>;

/**
 * An async action as the tracker first learns of it. Generation counts the codes asked for and a
 * campaign change the campaign's vouchers (both kept in `columns`); the other actions learn their
 * count while they run.
 */
function actionSubmitted(a: AnnouncedAction): OperationSubmitted {
  const columns = a.columns as unknown as { count?: number; total?: number } | null;
  const total = a.type === GENERATE_TYPE ? columns?.count : a.type === CAMPAIGN_UPDATE_TYPE || a.type === CAMPAIGN_DELETE_TYPE ? columns?.total : undefined;
  return {
    operationId: a.operation_id,
    occurredAt: new Date(a.created_at).toISOString(),
    ownerId: a.owner_id,
    jobType: a.type,
    producer: PRODUCER,
    ...(total !== undefined ? { totalJobItems: total } : {}),
    ...(a.request_id ? { requestId: a.request_id } : {}),
  };
}

/** The answer to a start, first or retried: the action and exactly the submitted event it announced. */
function accepted(a: AnnouncedAction, submitted: SubmittedJob = { operation: actionSubmitted(a) }): StartImportResult {
  return { operationId: a.operation_id, type: a.type, submitted };
}

/**
 * CSV imports: the upload is stored chunk by chunk before the action exists, then each batch
 * is one command message handled in one transaction (dedupe record, resource rows, failed rows,
 * byte cursor, tracker events and the next batch's command commit together). A restarted
 * importer resumes at the committed cursor: no batch is redone, no row skipped.
 */
@Injectable()
export class ImportService {
  private readonly log = new Logger(ImportService.name);
  /** The next COPY batch of an import, read and checked while the current one merges. */
  private readonly readAhead = new ReadAhead<PreparedBatch>();

  constructor(
    @Inject(ImporterConfig) private readonly config: ImporterConfig,
    private readonly uploads: UploadReader,
  ) {}

  async appendChunk(m: EntityManager, req: AppendUploadChunkRequest): Promise<AppendUploadChunkResult> {
    await m.query(`INSERT INTO "importer"."upload" ("id", "owner_id") VALUES ($1, $2) ON CONFLICT ("id") DO NOTHING`, [req.uploadId, req.ownerId]);
    const [upload]: Array<{ owner_id: string }> = await m.query(`SELECT "owner_id" FROM "importer"."upload" WHERE "id" = $1`, [req.uploadId]);
    if (upload.owner_id !== req.ownerId) throw new UploadNotFoundError(req.uploadId);
    const data = Buffer.from(req.data, 'base64');
    // A retried append (the reply was lost) finds its chunk stored and changes nothing.
    await m.query(`INSERT INTO "importer"."upload_chunk" ("upload_id", "seq", "data") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [req.uploadId, req.seq, data]);
    return { uploadId: req.uploadId, seq: req.seq, storedBytes: data.length };
  }

  /**
   * Deletes an upload that will not become an import (the gateway refused or lost the request), so a
   * refused or aborted file is not kept until the sweeper's age limit. The row lock waits for a
   * start-import of the same upload still running; an upload an action reads is never deleted here.
   */
  async discardUpload(m: EntityManager, req: DiscardUploadRequest): Promise<DiscardUploadResult> {
    const [upload]: Array<{ owner_id: string }> = await m.query(`SELECT "owner_id" FROM "importer"."upload" WHERE "id" = $1 FOR UPDATE`, [req.uploadId]);
    if (!upload || upload.owner_id !== req.ownerId) return { discarded: false };
    const reading: unknown[] = await m.query(`SELECT 1 FROM "importer"."async_action" WHERE "upload_id" = $1 LIMIT 1`, [req.uploadId]);
    if (reading.length) return { discarded: false };
    await m.query(`DELETE FROM "importer"."upload" WHERE "id" = $1`, [req.uploadId]);
    this.log.log({ msg: 'upload discarded: it will not become an import', uploadId: req.uploadId, event: 'upload-discarded' });
    return { discarded: true };
  }

  async start(m: EntityManager, outbox: OutboxWriter, req: StartImportRequest): Promise<StartImportResult> {
    const operationId = req.operationId ?? newOperationId();
    const [existing]: ActionRow[] = req.operationId ? await m.query(`SELECT * FROM "importer"."async_action" WHERE "operation_id" = $1`, [req.operationId]) : [];
    if (existing) {
      if (existing.owner_id !== req.ownerId || existing.type !== req.type) throw new ActionConflictError(operationId);
      return accepted(existing);
    }
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
    await m.query(
      `UPDATE "importer"."upload_chunk" c SET "start_offset" = s.off
         FROM (SELECT "seq", sum(length("data")) OVER (ORDER BY "seq") - length("data") AS off FROM "importer"."upload_chunk" WHERE "upload_id" = $1) s
        WHERE c."upload_id" = $1 AND c."seq" = s."seq"`,
      [req.uploadId],
    );
    const campaignId = (req.type === 'CAMPAIGN.VOUCHERS_IMPORT_CSV' || req.type === 'CAMPAIGN.VOUCHERS_IMPORT') && req.campaignId ? await this.campaignFor(m, req.ownerId, req.campaignId) : null;
    const action: AnnouncedAction = { operation_id: operationId, owner_id: req.ownerId, type: req.type, request_id: req.requestId ?? null, created_at: new Date(), columns: null };
    await m.query(
      `INSERT INTO "importer"."async_action" ("operation_id", "owner_id", "type", "upload_id", "campaign_id", "request_id", "total_bytes", "created_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [operationId, req.ownerId, req.type, req.uploadId, campaignId, action.request_id, storedBytes, action.created_at],
    );
    const submitted = await announceSubmitted(outbox, actionSubmitted(action));
    await outbox.add(importBatchMessage({ operationId, batch: 1 }));
    this.log.log({ msg: 'import submitted', operationId, type: req.type, bytes: storedBytes, event: 'import-submitted' });
    return accepted(action, submitted);
  }

  /** CAMPAIGN.VOUCHERS_GENERATE: the action row holds the pattern and count; batches create the codes. */
  async startGeneration(m: EntityManager, outbox: OutboxWriter, req: StartGenerationRequest): Promise<StartImportResult> {
    const operationId = req.operationId ?? newOperationId();
    const [existing]: ActionRow[] = req.operationId ? await m.query(`SELECT * FROM "importer"."async_action" WHERE "operation_id" = $1`, [req.operationId]) : [];
    if (existing) {
      if (existing.owner_id !== req.ownerId || existing.type !== GENERATE_TYPE) throw new ActionConflictError(operationId);
      return accepted(existing);
    }
    const campaignId = await this.campaignFor(m, req.ownerId, req.campaignId);
    const columns = { count: req.count, codeConfig: req.codeConfig };
    const action: AnnouncedAction = { operation_id: operationId, owner_id: req.ownerId, type: GENERATE_TYPE, request_id: req.requestId ?? null, created_at: new Date(), columns: columns as unknown as string[] };
    await m.query(
      `INSERT INTO "importer"."async_action" ("operation_id", "owner_id", "type", "campaign_id", "request_id", "columns", "created_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [operationId, req.ownerId, GENERATE_TYPE, campaignId, action.request_id, JSON.stringify(columns), action.created_at],
    );
    const submitted = await announceSubmitted(outbox, actionSubmitted(action));
    await outbox.add(importBatchMessage({ operationId, batch: 1 }));
    return accepted(action, submitted);
  }

  /** CAMPAIGN.VOUCHERS_UPDATE / _DELETE: the campaign must exist; batches walk its vouchers by id. */
  async startCampaignChange(m: EntityManager, outbox: OutboxWriter, req: StartCampaignChangeRequest): Promise<StartImportResult> {
    const type = req.kind === 'update' ? CAMPAIGN_UPDATE_TYPE : CAMPAIGN_DELETE_TYPE;
    const operationId = req.operationId ?? newOperationId();
    const [existing]: ActionRow[] = req.operationId ? await m.query(`SELECT * FROM "importer"."async_action" WHERE "operation_id" = $1`, [req.operationId]) : [];
    if (existing) {
      if (existing.owner_id !== req.ownerId || existing.type !== type) throw new ActionConflictError(operationId);
      return accepted(existing);
    }
    const campaignId = await this.existingCampaign(m, req.ownerId, req.campaignId);
    if (!campaignId) throw new CampaignNotFoundError(req.campaignId);
    if (type === CAMPAIGN_UPDATE_TYPE && req.changes) {
      // The campaign itself takes the changes at once; its vouchers follow batch by batch.
      const c = req.changes;
      await m.query(
        `UPDATE "importer"."campaign" SET "category" = coalesce($2, "category"), "active" = coalesce($3, "active"),
           "start_date" = coalesce($4::timestamptz, "start_date"), "expiration_date" = coalesce($5::timestamptz, "expiration_date"),
           "metadata" = "metadata" || $6::jsonb, "updated_at" = now()
         WHERE "id" = $1`,
        [campaignId, c.category ?? null, c.active ?? null, c.start_date ?? null, c.expiration_date ?? null, JSON.stringify(c.metadata ?? {})],
      );
    }
    const [{ n }]: Array<{ n: number }> = await m.query(`SELECT count(*)::int AS n FROM "importer"."voucher" WHERE "campaign_id" = $1`, [campaignId]);
    const columns = { changes: req.changes ?? {}, lastId: null, total: n };
    const action: AnnouncedAction = { operation_id: operationId, owner_id: req.ownerId, type, request_id: req.requestId ?? null, created_at: new Date(), columns: columns as unknown as string[] };
    await m.query(
      `INSERT INTO "importer"."async_action" ("operation_id", "owner_id", "type", "campaign_id", "request_id", "columns", "created_at") VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [operationId, req.ownerId, type, campaignId, action.request_id, JSON.stringify(columns), action.created_at],
    );
    const submitted = await announceSubmitted(outbox, actionSubmitted(action));
    await outbox.add(importBatchMessage({ operationId, batch: 1 }));
    return accepted(action, submitted);
  }

  private async existingCampaign(m: EntityManager, ownerId: string, idOrName: string): Promise<string | undefined> {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
    const [found]: Array<{ id: string }> = await m.query(
      `SELECT "id" FROM "importer"."campaign" WHERE "owner_id" = $1 AND ("name" = $2 OR ($3 AND "id"::text = $2))`,
      [ownerId, idOrName, isUuid],
    );
    return found?.id;
  }

  /** *.METADATA_KEY_PURGE: batches remove the key from every resource of the kind that has it. */
  async startMetadataPurge(m: EntityManager, outbox: OutboxWriter, req: StartMetadataPurgeRequest): Promise<StartImportResult> {
    const type = METADATA_PURGE_TYPES[req.resource];
    const operationId = req.operationId ?? newOperationId();
    const [existing]: ActionRow[] = req.operationId ? await m.query(`SELECT * FROM "importer"."async_action" WHERE "operation_id" = $1`, [req.operationId]) : [];
    if (existing) {
      if (existing.owner_id !== req.ownerId || existing.type !== type) throw new ActionConflictError(operationId);
      return accepted(existing);
    }
    const action: AnnouncedAction = { operation_id: operationId, owner_id: req.ownerId, type, request_id: req.requestId ?? null, created_at: new Date(), columns: null };
    await m.query(`INSERT INTO "importer"."async_action" ("operation_id", "owner_id", "type", "request_id", "columns", "created_at") VALUES ($1, $2, $3, $4, $5, $6)`, [
      operationId,
      req.ownerId,
      type,
      action.request_id,
      JSON.stringify({ resource: req.resource, key: req.key }),
      action.created_at,
    ]);
    const submitted = await announceSubmitted(outbox, actionSubmitted(action));
    await outbox.add(importBatchMessage({ operationId, batch: 1 }));
    return accepted(action, submitted);
  }

  /** A campaign is named by its id or its name; importing into a name that does not exist yet creates it. */
  private async campaignFor(m: EntityManager, ownerId: string, idOrName: string): Promise<string> {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
    const [found]: Array<{ id: string }> = await m.query(
      `SELECT "id" FROM "importer"."campaign" WHERE "owner_id" = $1 AND ("name" = $2 OR ($3 AND "id"::text = $2))`,
      [ownerId, idOrName, isUuid],
    );
    if (found) return found.id;
    const [created]: Array<{ id: string }> = await m.query(
      `INSERT INTO "importer"."campaign" ("owner_id", "name") VALUES ($1, $2)
       ON CONFLICT ("owner_id", "name") DO UPDATE SET "name" = EXCLUDED."name" RETURNING "id"`,
      [ownerId, idOrName],
    );
    return created.id;
  }

  async listFailures(m: EntityManager, req: ListImportFailuresRequest): Promise<ImportFailuresPage> {
    const [action]: ActionRow[] = await m.query(`SELECT * FROM "importer"."async_action" WHERE "operation_id" = $1 AND "owner_id" = $2`, [req.operationId, req.ownerId]);
    if (!action) throw new ActionNotFoundError(req.operationId);
    const rows: ImportFailureRow[] = await m.query(
      `SELECT "row", "key", "reason" FROM "importer"."import_failure" WHERE "operation_id" = $1 AND "row" > $2 ORDER BY "row" LIMIT $3`,
      [req.operationId, req.afterRow, req.limit + 1],
    );
    return {
      type: action.type,
      reportsAvailableTill: action.reports_available_till?.toISOString() ?? null,
      rows: rows.slice(0, req.limit),
      hasMore: rows.length > req.limit,
    };
  }

  /** One batch. A file-level problem, or any error on the message's last attempt, fails the action. */
  async runBatch(m: EntityManager, outbox: OutboxWriter, cmd: ImportBatchCommand, message: IncomingMessage): Promise<void> {
    const [action]: ActionRow[] = await m.query(`SELECT * FROM "importer"."async_action" WHERE "operation_id" = $1 FOR UPDATE`, [cmd.operationId]);
    if (!action) throw new PermanentMessageError(`async action ${cmd.operationId} does not exist`);
    if (action.state !== 'running' || cmd.batch <= action.batch_number) {
      this.log.log({ msg: 'batch already done; nothing to do', operationId: action.operation_id, batch: cmd.batch, event: 'batch-skipped' });
      return;
    }
    if (cmd.batch !== action.batch_number + 1) {
      throw new PermanentMessageError(`batch ${cmd.batch} of async action ${action.operation_id} arrived before batch ${action.batch_number + 1}`);
    }
    const reporter = new ProgressReporter(outbox, action.operation_id, action.last_reported_at);
    // The batch boundary: a cancel request recorded since the last batch committed ends the action here.
    if (action.cancel_requested_at) {
      await this.cancelAction(m, reporter, action, cmd.batch);
      await m.query(`UPDATE "importer"."async_action" SET "last_reported_at" = $2 WHERE "operation_id" = $1`, [action.operation_id, reporter.lastReportedAt]);
      return;
    }
    await m.query('SAVEPOINT import_batch');
    try {
      if (action.type === GENERATE_TYPE) await this.generateBatch(m, outbox, reporter, action, cmd.batch);
      else if (action.type === CAMPAIGN_UPDATE_TYPE || action.type === CAMPAIGN_DELETE_TYPE) await this.campaignBatch(m, outbox, reporter, action, cmd.batch);
      else if (PURGE_TYPES.has(action.type)) await this.purgeBatch(m, outbox, reporter, action, cmd.batch);
      else await this.importBatch(m, outbox, reporter, action, cmd.batch);
    } catch (e) {
      const failure = e instanceof FileRejectedError || e instanceof CodeSpaceExhaustedError ? e : message.isFinalAttempt ? new ImportAbortedError(cmd.batch) : undefined;
      if (!failure) throw e;
      if (failure instanceof ImportAbortedError) {
        this.log.error({ msg: 'import batch kept failing; the action is aborted', operationId: action.operation_id, batch: cmd.batch, error: (e as Error).message, event: 'import-aborted' });
      }
      await m.query('ROLLBACK TO SAVEPOINT import_batch');
      await this.fail(m, reporter, action, cmd.batch, failure);
    }
    await m.query(`UPDATE "importer"."async_action" SET "last_reported_at" = $2 WHERE "operation_id" = $1`, [action.operation_id, reporter.lastReportedAt]);
  }

  /**
   * The tracker said the client asked to cancel: recorded on a running action (a finished one keeps
   * its outcome). The batch in flight, if any, holds the row lock, so this waits for it to commit and
   * the next batch sees the flag.
   */
  async requestCancel(m: EntityManager, operationId: string, ownerId: string, requestedAt: Date): Promise<boolean> {
    const [rows]: [Array<{ operation_id: string }>, number] = await m.query(
      `UPDATE "importer"."async_action" SET "cancel_requested_at" = coalesce("cancel_requested_at", $3)
        WHERE "operation_id" = $1 AND "owner_id" = $2 AND "state" = 'running' RETURNING "operation_id"`,
      [operationId, ownerId, requestedAt],
    );
    const recorded = rows.length > 0;
    this.log.log({ msg: recorded ? 'cancel requested; the next batch ends the action' : 'cancel request for an action that is not running; ignored', operationId, event: 'cancel-requested', recorded });
    return recorded;
  }

  /**
   * Ends a cancelled action at a batch boundary: what earlier batches committed stays, the stored file
   * goes, failed rows stay for the report, and the tracker gets `Cancelled` with the counts so far.
   */
  private async cancelAction(m: EntityManager, rep: ProgressReporter, action: ActionRow, batch: number): Promise<void> {
    const done = action.done_count;
    const failed = action.failed_count;
    const kind = IMPORT_KINDS[action.type as ImportType] as (typeof IMPORT_KINDS)[ImportType] | undefined;
    const reportsTill = failed ? new Date(Date.now() + this.config.REPORT_RETENTION_DAYS * 86_400_000) : null;
    await m.query(
      `UPDATE "importer"."async_action" SET "state" = 'cancelled', "finished_at" = now(), "reports_available_till" = $2, "error" = 'CANCELLED' WHERE "operation_id" = $1`,
      [action.operation_id, reportsTill],
    );
    if (action.upload_id) await m.query(`DELETE FROM "importer"."upload" WHERE "id" = $1`, [action.upload_id]);
    let result: Record<string, unknown> = { done_count: done, failed_count: failed };
    let summary = `${done} item(s) done, ${failed} failed.`;
    if (kind) {
      const rows: ImportFailureRow[] = await m.query(
        `SELECT "row", "key", "reason" FROM "importer"."import_failure" WHERE "operation_id" = $1 ORDER BY "row" LIMIT $2`,
        [action.operation_id, RESULT_FAILED_LIMIT],
      );
      const till = reportsTill ?? undefined;
      result = kind.result === 'import' ? importResult(kind.spec, done, failed, rows, till, kind.format === 'csv') : { done_count: done, failed_count: failed, ...updateResult(kind.result, kind.spec, done, failed, rows, till) };
      summary = kind.result === 'import' ? String(result.message) : `${done} ${kind.spec.noun}(s) updated successfully, ${failed} failed.`;
    }
    const message = `Cancelled at the client's request before batch ${batch}: ${summary}`;
    await rep.finished({ status: 'Cancelled', message, successfulJobItems: done, failedJobItems: failed, result: { ...result, message } });
    this.log.log({ msg: 'action cancelled at a batch boundary', operationId: action.operation_id, batch, done, failed, event: 'import-cancelled' });
  }

  private async importBatch(m: EntityManager, outbox: OutboxWriter, rep: ProgressReporter, action: ActionRow, batch: number): Promise<void> {
    const { format, spec, copy } = IMPORT_KINDS[action.type as ImportType];
    if (batch === 1) await rep.started({ stepName: 'ImportRows' });
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
        : await this.rowBatch(m, action, spec, format, offset);
    const { done } = read;
    const { failures, headerCells } = read;
    if (failures.length) {
      await m.query(
        `INSERT INTO "importer"."import_failure" ("operation_id", "row", "key", "reason")
         SELECT $1, t.* FROM unnest($2::int[], $3::text[], $4::text[]) AS t ON CONFLICT DO NOTHING`,
        [action.operation_id, failures.map((f) => f.row), failures.map((f) => f.key?.slice(0, 255) ?? null), failures.map((f) => f.reason)],
      );
    }
    const nextOffset = offset + read.end;
    const rowsRead = action.rows_read + read.count;
    await m.query(
      `UPDATE "importer"."async_action" SET "batch_number" = $2, "byte_offset" = $3, "rows_read" = $4, "done_count" = "done_count" + $5,
         "failed_count" = "failed_count" + $6, "columns" = $7 WHERE "operation_id" = $1`,
      [action.operation_id, batch, nextOffset, rowsRead, done, failures.length, headerCells ? JSON.stringify(headerCells) : null],
    );
    const totalBytes = Number(action.total_bytes);
    // The row count is unknown until the end; the estimate from bytes read gives the tracker a progress figure.
    const estimate = read.exhausted || nextOffset === 0 ? rowsRead : Math.max(rowsRead, Math.round((rowsRead * totalBytes) / nextOffset));
    await rep.progressed(done, failures.map((f) => toItemFailure(f)), estimate);
    this.log.log({
      msg: 'batch imported',
      operationId: action.operation_id,
      batch,
      rows: read.count,
      failed: failures.length,
      ms: Math.round(performance.now() - started),
      ...('readAhead' in read ? { readAhead: read.readAhead, copyMs: read.copyMs, mergeMs: read.mergeMs } : {}),
      event: 'batch-imported',
    });

    if (!read.exhausted && nextOffset < totalBytes) {
      await outbox.add(importBatchMessage({ operationId: action.operation_id, batch: batch + 1 }));
      return;
    }
    await this.finish(m, rep, action, action.done_count + done, action.failed_count + failures.length);
  }

  /** A batch row by row: parsed and validated into values, then written by the resource's `write`. */
  private async rowBatch(m: EntityManager, action: ActionRow, spec: ResourceSpec<unknown>, format: 'csv' | 'json', offset: number): Promise<CopyBatchResult> {
    const rows = format === 'csv' ? await this.csvRows(m, action, spec, offset) : await this.jsonRows(m, action, spec, offset);
    const notWritten = rows.valid.length
      ? await spec.write({ manager: m, ownerId: action.owner_id, operationId: action.operation_id, campaignId: action.campaign_id }, rows.valid)
      : [];
    const failures = rows.failures.concat(notWritten).sort((a, b) => a.row - b.row);
    return { done: rows.valid.length - notWritten.length, failures, headerCells: rows.headerCells, count: rows.count, end: rows.end, exhausted: rows.exhausted };
  }

  /** The next CSV records from the cursor, validated; the header is read (and checked) once. */
  private async csvRows(m: EntityManager, action: ActionRow, spec: ResourceSpec<unknown>, offset: number): Promise<BatchRows> {
    const atStart = offset === 0 && !action.columns;
    const read = await readCsvRecords(chunksFrom(m, action.upload_id, offset), { atStart, limit: this.config.IMPORT_BATCH_SIZE, rowsBefore: action.rows_read });
    let headerCells = action.columns;
    if (read.header) {
      headerCells = read.header;
      const names = headerCells.map(normalizeHeader);
      const missing = spec.requiredColumns.filter((c) => !names.includes(c));
      if (missing.length) {
        throw new FileRejectedError('INVALID_HEADER', `The CSV header row must contain the column(s) ${missing.join(', ')}; found: ${headerCells.slice(0, 20).join(', ') || '(none)'}.`);
      }
    }
    if (!headerCells) throw new PermanentMessageError(`async action ${action.operation_id} has no header stored`);
    if (atStart && read.records.length === 0) throw new FileRejectedError('EMPTY_FILE', 'The file has a header row but no data rows.');
    const header = headerCells;
    const columns = header.map(normalizeHeader);
    const known = new Set(spec.knownColumns);
    const valid: Array<ValidRow<unknown>> = [];
    const failures: RowFailure[] = [];
    read.records.forEach((rec, i) => {
      const row = action.rows_read + i + 1;
      if (rec.values.length !== columns.length) {
        failures.push({ row, key: null, reason: `Row has ${rec.values.length} column(s) but the header has ${columns.length}` });
        return;
      }
      const cells: Record<string, string> = {};
      const extra: Record<string, string> = {};
      columns.forEach((c, j) => {
        if (known.has(c)) cells[c] = rec.values[j];
        else if (rec.values[j] !== '' && header[j].trim() !== '') extra[header[j].trim()] = rec.values[j];
      });
      const outcome = spec.parse(cells, extra);
      if (outcome.ok) valid.push({ row, key: outcome.key, value: outcome.value });
      else failures.push({ row, key: outcome.key, reason: outcome.reason });
    });
    const last = read.records[read.records.length - 1];
    return { valid, failures, headerCells: header, count: read.records.length, end: last ? last.end : 0, exhausted: read.exhausted };
  }

  /** The next items of a JSON import; `row` is the item's 1-based position (kept internally, not in the result). */
  private async jsonRows(m: EntityManager, action: ActionRow, spec: ResourceSpec<unknown>, offset: number): Promise<BatchRows> {
    const parseJson = spec.parseJson;
    if (!parseJson) throw new PermanentMessageError(`async action type ${action.type} has no JSON form`);
    const read = await readJsonLines(chunksFrom(m, action.upload_id, offset), this.config.IMPORT_BATCH_SIZE);
    if (offset === 0 && read.lines.length === 0) throw new FileRejectedError('EMPTY_FILE', 'The request has no items.');
    const valid: Array<ValidRow<unknown>> = [];
    const failures: RowFailure[] = [];
    read.lines.forEach((line, i) => {
      const row = action.rows_read + i + 1;
      const outcome = parseJson(line.value);
      if (outcome.ok) valid.push({ row, key: outcome.key, value: outcome.value });
      else failures.push({ row, key: outcome.key, reason: outcome.reason });
    });
    const last = read.lines[read.lines.length - 1];
    return { valid, failures, headerCells: null, count: read.lines.length, end: last ? last.end : 0, exhausted: read.exhausted };
  }

  /**
   * One batch of generated codes: drawn at random, written with ON CONFLICT DO NOTHING, and drawn
   * again for the ones that collided with existing codes, so every code is unique per owner.
   */
  private async generateBatch(m: EntityManager, outbox: OutboxWriter, rep: ProgressReporter, action: ActionRow, batch: number): Promise<void> {
    const { count, codeConfig } = action.columns as unknown as { count: number; codeConfig: StartGenerationRequest['codeConfig'] };
    if (batch === 1) await rep.started({ stepName: 'ImportRows' });
    const wanted = Math.min(this.config.IMPORT_BATCH_SIZE, count - action.done_count);
    let made = 0;
    for (let round = 0; made < wanted && round < 10; round++) {
      const codes = generateCodes(codeConfig, wanted - made);
      const inserted: Array<{ code: string }> = await m.query(
        `INSERT INTO "importer"."voucher" ("owner_id", "campaign_id", "import_operation_id", "code", "type")
         SELECT $1, $2, $3, t.code, 'DISCOUNT_VOUCHER' FROM unnest($4::text[]) AS t(code)
         ON CONFLICT ("owner_id", "code") DO NOTHING RETURNING "code"`,
        [action.owner_id, action.campaign_id, action.operation_id, codes],
      );
      made += inserted.length;
    }
    if (made < wanted) throw new CodeSpaceExhaustedError(`The code pattern cannot produce ${count} unique codes: only ${action.done_count + made} could be generated.`);
    const done = action.done_count + made;
    await m.query(`UPDATE "importer"."async_action" SET "batch_number" = $2, "rows_read" = $3, "done_count" = $3 WHERE "operation_id" = $1`, [action.operation_id, batch, done]);
    await rep.progressed(made, [], count);
    if (done < count) {
      await outbox.add(importBatchMessage({ operationId: action.operation_id, batch: batch + 1 }));
      return;
    }
    await m.query(`UPDATE "importer"."async_action" SET "state" = 'done', "finished_at" = now() WHERE "operation_id" = $1`, [action.operation_id]);
    const message = `${done} voucher(s) generated successfully.`;
    await rep.finished({ status: 'Completed', message, totalJobItems: count, successfulJobItems: done, failedJobItems: 0, result: { message, done_count: done } });
    this.log.log({ msg: 'vouchers generated', operationId: action.operation_id, count: done, event: 'generation-finished' });
  }

  /**
   * One batch of a campaign update or delete: the next vouchers of the campaign in id order after
   * the cursor (a delete needs no cursor: deleted rows are gone). The campaign itself goes last.
   */
  private async campaignBatch(m: EntityManager, outbox: OutboxWriter, rep: ProgressReporter, action: ActionRow, batch: number): Promise<void> {
    const state = action.columns as unknown as { changes: Record<string, unknown>; lastId: string | null; total: number };
    if (batch === 1) await rep.started({ stepName: 'ImportRows' });
    const limit = this.config.IMPORT_BATCH_SIZE;
    let ids: Array<{ id: string }>;
    if (action.type === CAMPAIGN_DELETE_TYPE) {
      [ids] = await m.query(
        `DELETE FROM "importer"."voucher" WHERE "id" IN (SELECT "id" FROM "importer"."voucher" WHERE "campaign_id" = $1 ORDER BY "id" LIMIT $2) RETURNING "id"`,
        [action.campaign_id, limit],
      );
    } else {
      const c = state.changes;
      [ids] = await m.query(
        `UPDATE "importer"."voucher" v SET "category" = coalesce($3, v."category"), "active" = coalesce($4, v."active"),
           "start_date" = coalesce($5::timestamptz, v."start_date"), "expiration_date" = coalesce($6::timestamptz, v."expiration_date"),
           "metadata" = v."metadata" || $7::jsonb, "updated_at" = now()
         WHERE v."id" IN (SELECT "id" FROM "importer"."voucher" WHERE "campaign_id" = $1 AND ($2::uuid IS NULL OR "id" > $2::uuid) ORDER BY "id" LIMIT $8)
         RETURNING v."id"`,
        [action.campaign_id, state.lastId, c.category ?? null, c.active ?? null, c.start_date ?? null, c.expiration_date ?? null, JSON.stringify(c.metadata ?? {}), limit],
      );
    }
    const lastId = ids.length ? ids.map((r) => r.id).sort().pop() ?? null : state.lastId;
    const done = action.done_count + ids.length;
    await m.query(`UPDATE "importer"."async_action" SET "batch_number" = $2, "done_count" = $3, "rows_read" = $3, "columns" = $4 WHERE "operation_id" = $1`, [
      action.operation_id,
      batch,
      done,
      JSON.stringify({ ...state, lastId }),
    ]);
    await rep.progressed(ids.length, [], Math.max(state.total, done));
    if (ids.length === limit) {
      await outbox.add(importBatchMessage({ operationId: action.operation_id, batch: batch + 1 }));
      return;
    }
    const verb = action.type === CAMPAIGN_DELETE_TYPE ? 'deleted' : 'updated';
    if (action.type === CAMPAIGN_DELETE_TYPE) await m.query(`DELETE FROM "importer"."campaign" WHERE "id" = $1`, [action.campaign_id]);
    await m.query(`UPDATE "importer"."async_action" SET "state" = 'done', "finished_at" = now() WHERE "operation_id" = $1`, [action.operation_id]);
    const message = `${done} voucher(s) ${verb} successfully.`;
    await rep.finished({ status: 'Completed', message, totalJobItems: done, successfulJobItems: done, failedJobItems: 0, result: { message, done_count: done } });
  }

  /** One batch of a key purge: the next resources still holding the key lose it (no cursor needed). */
  private async purgeBatch(m: EntityManager, outbox: OutboxWriter, rep: ProgressReporter, action: ActionRow, batch: number): Promise<void> {
    const { resource, key } = action.columns as unknown as { resource: PurgeableResource; key: string };
    const table = PURGE_TABLES[resource];
    if (batch === 1) await rep.started({ stepName: 'ImportRows' });
    const limit = this.config.IMPORT_BATCH_SIZE;
    const [ids]: [Array<{ id: string }>, number] = await m.query(
      `UPDATE "importer"."${table}" t SET "metadata" = t."metadata" - $2::text
        WHERE t."id" IN (SELECT "id" FROM "importer"."${table}" WHERE "owner_id" = $1 AND "metadata" ? $2 ORDER BY "id" LIMIT $3)
        RETURNING t."id"`,
      [action.owner_id, key, limit],
    );
    const done = action.done_count + ids.length;
    await m.query(`UPDATE "importer"."async_action" SET "batch_number" = $2, "done_count" = $3, "rows_read" = $3 WHERE "operation_id" = $1`, [action.operation_id, batch, done]);
    await rep.progressed(ids.length, []);
    if (ids.length === limit) {
      await outbox.add(importBatchMessage({ operationId: action.operation_id, batch: batch + 1 }));
      return;
    }
    await m.query(`UPDATE "importer"."async_action" SET "state" = 'done', "finished_at" = now() WHERE "operation_id" = $1`, [action.operation_id]);
    const message = `Metadata key ${key} purged from ${done} ${resource}(s).`;
    await rep.finished({ status: 'Completed', message, totalJobItems: done, successfulJobItems: done, failedJobItems: 0, result: { message, done_count: done } });
  }

  private async finish(m: EntityManager, rep: ProgressReporter, action: ActionRow, done: number, failed: number): Promise<void> {
    const { format, spec, result: layout } = IMPORT_KINDS[action.type as ImportType];
    const rows: ImportFailureRow[] = await m.query(
      `SELECT "row", "key", "reason" FROM "importer"."import_failure" WHERE "operation_id" = $1 ORDER BY "row" LIMIT $2`,
      [action.operation_id, RESULT_FAILED_LIMIT],
    );
    const reportsTill = new Date(Date.now() + this.config.REPORT_RETENTION_DAYS * 86_400_000);
    await m.query(`UPDATE "importer"."async_action" SET "state" = 'done', "finished_at" = now(), "reports_available_till" = $2 WHERE "operation_id" = $1`, [
      action.operation_id,
      reportsTill,
    ]);
    // The file has served its purpose; the failed rows stay for the report.
    if (action.upload_id) await m.query(`DELETE FROM "importer"."upload" WHERE "id" = $1`, [action.upload_id]);
    const result = layout === 'import' ? importResult(spec, done, failed, rows, reportsTill, format === 'csv') : updateResult(layout, spec, done, failed, rows, reportsTill);
    await rep.finished({
      status: failed ? 'CompletedWithFailures' : 'Completed',
      message: typeof result.message === 'string' ? result.message : `${done} ${spec.noun}(s) updated successfully, ${failed} failed.`,
      totalJobItems: done + failed,
      successfulJobItems: done,
      failedJobItems: failed,
      result,
    });
    this.log.log({ msg: 'import finished', operationId: action.operation_id, done, failed, event: 'import-finished' });
  }

  private async fail(m: EntityManager, rep: ProgressReporter, action: ActionRow, batch: number, failure: ImportFailure): Promise<void> {
    await m.query(`UPDATE "importer"."async_action" SET "state" = 'failed', "batch_number" = $3, "error" = $2, "finished_at" = now() WHERE "operation_id" = $1`, [
      action.operation_id,
      `${failure.code}: ${failure.message}`,
      batch,
    ]);
    if (action.upload_id) await m.query(`DELETE FROM "importer"."upload" WHERE "id" = $1`, [action.upload_id]);
    await rep.finished({
      status: 'Failure',
      message: failure.message,
      errors: [{ key: failure.code, message: failure.message }],
      result: { message: failure.message, done_count: action.done_count, failed_count: action.failed_count },
    });
    this.log.warn({ msg: 'import failed', operationId: action.operation_id, code: failure.code, reason: failure.message, event: 'import-failed' });
  }
}

interface BatchRows {
  valid: Array<ValidRow<unknown>>;
  failures: RowFailure[];
  headerCells: string[] | null;
  /** Records or items consumed from the file. */
  count: number;
  /** Bytes consumed, relative to the batch's starting offset. */
  end: number;
  exhausted: boolean;
}

function toItemFailure(f: RowFailure): ItemFailure {
  return { row: f.row, reason: f.reason.slice(0, 2000), ...(f.key ? { itemKey: f.key.slice(0, 255) } : {}) };
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

/** Deterministic ids: a batch command written twice is deduplicated by the consumer. */
export function importBatchMessage(cmd: ImportBatchCommand) {
  return {
    exchange: ExchangeRole.Commands,
    routingKey: ImporterCommands.ImportBatch,
    body: cmd,
    messageId: nameBasedMessageId(`import-batch:${cmd.operationId}:${cmd.batch}`),
    headers: { [Headers.OperationId]: cmd.operationId },
  };
}
