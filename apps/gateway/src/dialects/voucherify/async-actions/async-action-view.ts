import type { OperationView } from '@asyncops/contracts';
import { ASYNC_ACTION_TYPES } from '@asyncops/domain';
import { toVoucherifyView } from '@asyncops/state-machine';
import { toAsyncActionId } from '../async-action-id';

const ACTION_TYPES: ReadonlySet<string> = new Set(ASYNC_ACTION_TYPES);

/** Only operations typed by a seed 001 async action type exist on the Voucherify surface. */
export function isAsyncAction(op: OperationView): boolean {
  return ACTION_TYPES.has(op.jobType);
}

/** Seed 001's Async Action Base, read from the tracker's record. */
export function toAsyncActionBase(op: OperationView) {
  return {
    id: toAsyncActionId(op.id),
    type: op.jobType,
    ...toVoucherifyView(op.status),
    created_at: op.submittedAt,
    updated_at: op.updatedAt,
    request_id: op.requestId,
    processing_time: op.processingTimeMs ?? 0,
    progress: op.progress,
    object: 'async_action' as const,
  };
}

/**
 * The full async action with its `result`. A finished import with failed rows gets its report
 * link here, because the URL depends on the origin the client used to reach the gateway.
 */
export function toAsyncAction(op: OperationView, origin: string) {
  const base = toAsyncActionBase(op);
  let result = op.result ?? (op.finishedAt && op.message ? { message: op.message } : null);
  if (result && typeof result.reports_available_till === 'string') {
    result = { ...result, reports: [`${origin}/v1/async-actions/${base.id}/report`] };
  }
  return { ...base, result };
}
