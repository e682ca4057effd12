import type { ItemFailureView, OperationView } from '@asyncops/contracts';
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

export function toItemFailureView(f: ItemFailureRecord): ItemFailureView {
  return { id: f.id, itemKey: f.itemKey, row: f.row, reason: f.reason, details: f.details, recordedAt: f.recordedAt.toISOString() };
}
