import type { EntityManager } from 'typeorm';
import type { DoneCountResult } from '@asyncops/domain';
import type { OutboxWriter, ProgressReporter } from '@asyncops/messaging';
import { ActionRow, ActionType, importBatchMessage } from './action-row';

/** One batch of one action, inside the batch message's transaction, with the action row locked. */
export interface BatchContext {
  m: EntityManager;
  outbox: OutboxWriter;
  rep: ProgressReporter;
  action: ActionRow;
  batch: number;
}

/** What a cancelled action's result says, for the kinds that word it their own way. */
export interface CancelledOutcome {
  result: object;
  summary: string;
}

/** The work of one kind of action; the batch runner locks, dispatches, fails and cancels around it. */
export interface ActionHandler {
  /** The action types this handler runs. */
  readonly types: readonly ActionType[];
  /** Does one batch: its work, the cursor and counts, progress, then the next batch or the finish. */
  runBatch(b: BatchContext): Promise<void>;
  cancelledOutcome?(m: EntityManager, action: ActionRow, done: number, failed: number, reportsTill: Date | undefined): Promise<CancelledOutcome>;
}

/** The handler of each action type; a type claimed twice is a wiring mistake, caught at start-up. */
export function actionDispatch(handlers: readonly ActionHandler[]): (type: string) => ActionHandler | undefined {
  const byType = new Map<string, ActionHandler>();
  for (const h of handlers) {
    for (const t of h.types) {
      if (byType.has(t)) throw new Error(`async action type ${t} has two handlers`);
      byType.set(t, h);
    }
  }
  return (type) => byType.get(type);
}

export function enqueueNextBatch(b: BatchContext): Promise<void> {
  return b.outbox.add(importBatchMessage({ operationId: b.action.operation_id, batch: b.batch + 1 }));
}

/** The action is done: its row says so and its stored file, if any, goes (failed rows stay for the report). */
export async function markDone(b: BatchContext, reportsTill: Date | null = null): Promise<void> {
  await b.m.query(`UPDATE "importer"."async_action" SET "state" = 'done', "finished_at" = now(), "reports_available_till" = $2 WHERE "operation_id" = $1`, [
    b.action.operation_id,
    reportsTill,
  ]);
  if (b.action.upload_id) await b.m.query(`DELETE FROM "importer"."upload" WHERE "id" = $1`, [b.action.upload_id]);
}

/**
 * The cursor of the kinds that only count what they change (generation, campaign changes, purges):
 * every item read is done, and `columns` carries the kind's own cursor when it has one.
 */
export async function recordCounted(b: BatchContext, done: number, columns?: object): Promise<void> {
  const params: unknown[] = [b.action.operation_id, b.batch, done];
  if (columns) params.push(JSON.stringify(columns));
  await b.m.query(`UPDATE "importer"."async_action" SET "batch_number" = $2, "done_count" = $3, "rows_read" = $3${columns ? ', "columns" = $4' : ''} WHERE "operation_id" = $1`, params);
}

/** Ends a counting kind: nothing fails item by item there, so it completes with its count. */
export async function completeCounted(b: BatchContext, message: string, done: number, total: number): Promise<void> {
  await markDone(b);
  const result = { message, done_count: done } satisfies DoneCountResult;
  await b.rep.finished({ status: 'Completed', message, totalJobItems: total, successfulJobItems: done, failedJobItems: 0, result });
}
