import type { EntityManager } from 'typeorm';
import type { OperationSubmitted, StartImportResult, SubmittedJob } from '@asyncops/contracts';
import { newOperationId } from '@asyncops/domain';
import { announceSubmitted, OutboxWriter, submittedFromRow } from '@asyncops/messaging';
import { CAMPAIGN_DELETE_TYPE, CAMPAIGN_UPDATE_TYPE, GENERATE_TYPE } from '../../generation/code-generator';
import { ActionConflictError } from '../../errors';
import { ActionRow, ActionType, findAction, importBatchMessage, PRODUCER } from './action-row';

export type AnnouncedAction = Pick<ActionRow, 'operation_id' | 'owner_id' | 'type' | 'request_id' | 'created_at'> & { columns: unknown };

/**
 * An async action as the tracker first learns of it. Generation counts the codes asked for and a
 * campaign change the campaign's vouchers (both kept in `columns`); the other actions learn their
 * count while they run.
 */
export function actionSubmitted(a: AnnouncedAction): OperationSubmitted {
  const columns = a.columns as { count?: number; total?: number } | null;
  const total = a.type === GENERATE_TYPE ? columns?.count : a.type === CAMPAIGN_UPDATE_TYPE || a.type === CAMPAIGN_DELETE_TYPE ? columns?.total : undefined;
  return submittedFromRow(a, a.created_at, { jobType: a.type, producer: PRODUCER, ...(total !== undefined ? { totalJobItems: total } : {}) });
}

/** The answer to a start, first or retried: the action and exactly the submitted event it announced. */
function accepted(a: AnnouncedAction, submitted: SubmittedJob = { operation: actionSubmitted(a) }): StartImportResult {
  return { operationId: a.operation_id, type: a.type, submitted };
}

/**
 * A start retried with the operation id of an action that exists: the same start is answered as the
 * first time, another one (other owner or type) is a conflict. Undefined when there is no such action.
 */
export async function retriedStart(m: EntityManager, req: { operationId?: string; ownerId: string }, type: ActionType): Promise<StartImportResult | undefined> {
  const existing = req.operationId ? await findAction(m, req.operationId) : undefined;
  if (!existing) return undefined;
  if (existing.owner_id !== req.ownerId || existing.type !== type) throw new ActionConflictError(existing.operation_id);
  return accepted(existing);
}

export interface NewAction {
  operationId?: string;
  ownerId: string;
  type: ActionType;
  requestId?: string;
  uploadId?: string;
  campaignId?: string | null;
  totalBytes?: number;
  /** The kind's parameters (and later its cursor), stored as JSON. */
  columns?: object;
}

/**
 * Creates the action row, announces it (outbox + the reply's `submitted`) and queues its first batch,
 * all in the caller's transaction.
 */
export async function createAction(m: EntityManager, outbox: OutboxWriter, a: NewAction): Promise<StartImportResult> {
  const action: AnnouncedAction = {
    operation_id: a.operationId ?? newOperationId(),
    owner_id: a.ownerId,
    type: a.type,
    request_id: a.requestId ?? null,
    created_at: new Date(),
    columns: a.columns ?? null,
  };
  // Only the columns the kind sets are written; the others keep their defaults.
  const values: Record<string, unknown> = { operation_id: action.operation_id, owner_id: action.owner_id, type: action.type };
  if (a.uploadId !== undefined) values.upload_id = a.uploadId;
  if (a.campaignId !== undefined) values.campaign_id = a.campaignId;
  values.request_id = action.request_id;
  if (a.totalBytes !== undefined) values.total_bytes = a.totalBytes;
  if (a.columns !== undefined) values.columns = JSON.stringify(a.columns);
  values.created_at = action.created_at;
  const names = Object.keys(values);
  await m.query(
    `INSERT INTO "importer"."async_action" (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(values),
  );
  const submitted = await announceSubmitted(outbox, actionSubmitted(action));
  await outbox.add(importBatchMessage({ operationId: action.operation_id, batch: 1 }));
  return accepted(action, submitted);
}
