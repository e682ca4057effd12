import type { OperationSubmitted } from '@asyncops/contracts';
import { submittedFromRow } from '@asyncops/messaging';

/** The producer of every job this service runs; each capability acts only on cancel requests naming it. */
export const PRODUCER = 'order-placement';

/** A single job of this service as the tracker first learns of it, from the row that holds it. */
export function jobSubmitted(
  row: { id: string; owner_id: string; operation_id: string; request_id: string | null; submitted_at: Date },
  job: Pick<OperationSubmitted, 'jobType' | 'referenceEntityType' | 'totalJobItems'>,
): OperationSubmitted {
  return submittedFromRow(row, row.submitted_at, {
    jobType: job.jobType,
    producer: PRODUCER,
    referenceEntityId: row.id,
    referenceEntityType: job.referenceEntityType,
    totalJobItems: job.totalJobItems,
  });
}
