import type { ItemFailureView, OperationView } from '@asyncops/contracts';
import { isTerminalStatus } from '@asyncops/domain';
import { progressPercent } from '@asyncops/state-machine';
import { AsyncOperation } from './async-operation.entity';
import { ItemFailureRecord } from './item-failure.entity';

/** The display format of the auto-number, as a Salesforce auto-number field shows it. */
export const formatOperationNumber = (n: number) => `AON-${String(n).padStart(10, '0')}`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toOperationView(op: AsyncOperation): OperationView {
  return {
    id: op.id,
    asyncOperationNumber: formatOperationNumber(op.asyncOperationNumber),
    correlationIdentifier: op.correlationIdentifier,
    jobType: op.jobType,
    stepName: op.stepName,
    status: op.status,
    submittedAt: op.submittedAt.toISOString(),
    startedAt: iso(op.startedAt),
    finishedAt: iso(op.finishedAt),
    expiresAt: iso(op.expiresAt),
    totalJobItems: op.totalJobItems,
    successfulJobItems: op.successfulJobItems,
    failedJobItems: op.failedJobItems,
    progress: progressPercent(op),
    processingTimeMs: op.startedAt && op.finishedAt ? op.finishedAt.getTime() - op.startedAt.getTime() : null,
    parentOperationId: op.parentOperationId,
    childCount: op.childCount,
    referenceEntityId: op.referenceEntityId,
    referenceEntityType: op.referenceEntityType,
    ownerId: op.ownerId,
    producer: op.producer,
    requestId: op.requestId,
    message: op.message,
    errors: op.errors,
    result: op.result,
    cancelRequestedAt: iso(op.cancelRequestedAt),
    lastViewedDate: iso(op.lastViewedDate),
    lastReferencedDate: iso(op.lastReferencedDate),
    updatedAt: op.updatedAt.toISOString(),
    version: op.version,
  };
}

/** Beyond this a change carries no view: every gateway hears every change, and big results are read on demand. */
export const MAX_CHANGE_VIEW_CHARS = 8192;

/**
 * The view a change notification carries: only on a terminal change (what woken long-polls answer
 * with), and only when small; else undefined and the gateway reads it from the tracker.
 */
export function changeViewOf(op: AsyncOperation): OperationView | undefined {
  if (!isTerminalStatus(op.status)) return undefined;
  const view = toOperationView(op);
  return JSON.stringify(view).length <= MAX_CHANGE_VIEW_CHARS ? view : undefined;
}

export function toItemFailureView(f: ItemFailureRecord): ItemFailureView {
  return { id: f.id, itemKey: f.itemKey, row: f.row, reason: f.reason, details: f.details, recordedAt: f.recordedAt.toISOString() };
}
