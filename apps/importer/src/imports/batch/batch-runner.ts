import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ImportBatchCommand } from '@asyncops/contracts';
import { IncomingMessage, OutboxWriter, PermanentMessageError, ProgressReporter } from '@asyncops/messaging';
import { ImporterConfig } from '../../config';
import { CodeSpaceExhaustedError, FileRejectedError, ImportAbortedError, ImportFailure } from '../../errors';
import { CampaignChangeHandler } from '../commands/change-campaign/change-campaign.handler';
import { CodeGenerationHandler } from '../commands/generate-codes/generate-codes.handler';
import { ResourceImportHandler } from '../commands/import-resources/import-resources.handler';
import { MetadataPurgeHandler } from '../commands/purge-metadata/purge-metadata.handler';
import { actionDispatch, ActionHandler, BatchContext } from './action-handler';
import { ActionRow } from './action-row';

/**
 * Runs one batch of any action: each batch is one command message handled in one transaction
 * (dedupe record, the kind's writes, failed rows, cursor, tracker events and the next batch's
 * command commit together), so a restarted importer resumes at the committed cursor: no batch is
 * redone, none skipped. The kind's handler does the work; this class orders the batches, ends
 * cancelled actions at a batch boundary and fails an action that cannot go on.
 */
@Injectable()
export class BatchRunner {
  private readonly log = new Logger(BatchRunner.name);
  private readonly handlerFor: (type: string) => ActionHandler | undefined;

  constructor(
    @Inject(ImporterConfig) private readonly config: ImporterConfig,
    resources: ResourceImportHandler,
    generation: CodeGenerationHandler,
    campaigns: CampaignChangeHandler,
    purges: MetadataPurgeHandler,
  ) {
    this.handlerFor = actionDispatch([resources, generation, campaigns, purges]);
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
    const b: BatchContext = { m, outbox, rep: new ProgressReporter(outbox, action.operation_id, action.last_reported_at), action, batch: cmd.batch };
    // The batch boundary: a cancel request recorded since the last batch committed ends the action here.
    if (action.cancel_requested_at) await this.cancel(b);
    else await this.run(b, message);
    await m.query(`UPDATE "importer"."async_action" SET "last_reported_at" = $2 WHERE "operation_id" = $1`, [action.operation_id, b.rep.lastReportedAt]);
  }

  private async run(b: BatchContext, message: IncomingMessage): Promise<void> {
    await b.m.query('SAVEPOINT import_batch');
    try {
      // An unknown type fails like any other error: retried, then the action is aborted.
      const handler = this.handlerFor(b.action.type);
      if (!handler) throw new Error(`async action type ${b.action.type} has no handler`);
      if (b.batch === 1) await b.rep.started({ stepName: 'ImportRows' });
      await handler.runBatch(b);
    } catch (e) {
      const failure = e instanceof FileRejectedError || e instanceof CodeSpaceExhaustedError ? e : message.isFinalAttempt ? new ImportAbortedError(b.batch) : undefined;
      if (!failure) throw e;
      if (failure instanceof ImportAbortedError) {
        this.log.error({ msg: 'import batch kept failing; the action is aborted', operationId: b.action.operation_id, batch: b.batch, error: (e as Error).message, event: 'import-aborted' });
      }
      await b.m.query('ROLLBACK TO SAVEPOINT import_batch');
      await this.fail(b, failure);
    }
  }

  /**
   * Ends a cancelled action at a batch boundary: what earlier batches committed stays, the stored file
   * goes, failed rows stay for the report, and the tracker gets `Cancelled` with the counts so far.
   */
  private async cancel({ m, rep, action, batch }: BatchContext): Promise<void> {
    const done = action.done_count;
    const failed = action.failed_count;
    const reportsTill = failed ? new Date(Date.now() + this.config.REPORT_RETENTION_DAYS * 86_400_000) : null;
    await m.query(
      `UPDATE "importer"."async_action" SET "state" = 'cancelled', "finished_at" = now(), "reports_available_till" = $2, "error" = 'CANCELLED' WHERE "operation_id" = $1`,
      [action.operation_id, reportsTill],
    );
    if (action.upload_id) await m.query(`DELETE FROM "importer"."upload" WHERE "id" = $1`, [action.upload_id]);
    const handler = this.handlerFor(action.type);
    const { result, summary } = handler?.cancelledOutcome
      ? await handler.cancelledOutcome(m, action, done, failed, reportsTill ?? undefined)
      : { result: { done_count: done, failed_count: failed }, summary: `${done} item(s) done, ${failed} failed.` };
    const message = `Cancelled at the client's request before batch ${batch}: ${summary}`;
    await rep.finished({ status: 'Cancelled', message, successfulJobItems: done, failedJobItems: failed, result: { ...result, message } });
    this.log.log({ msg: 'action cancelled at a batch boundary', operationId: action.operation_id, batch, done, failed, event: 'import-cancelled' });
  }

  private async fail({ m, rep, action, batch }: BatchContext, failure: ImportFailure): Promise<void> {
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
