import { isTerminalStatus, OperationStatus } from '@asyncops/domain';

export interface ProgressInput {
  totalJobItems: number | null;
  successfulJobItems: number | null;
  failedJobItems: number | null;
  status: OperationStatus;
}

/**
 * Percentage of an operation's items that have been processed, as an integer from 0 to 100; failed
 * items count as processed because they will not be retried.
 *
 * A finished operation is at 100 whatever its counts say (a job can fail before counting anything),
 * and an unfinished one with no known total is at 0 because there is nothing to measure against. The
 * value is rounded down so that an unfinished operation only shows 100 once every item is processed.
 */
export function progressPercent({ totalJobItems, successfulJobItems, failedJobItems, status }: ProgressInput): number {
  if (isTerminalStatus(status)) return 100;
  const total = totalJobItems ?? 0;
  if (!(total > 0)) return 0;
  const processed = (successfulJobItems ?? 0) + (failedJobItems ?? 0);
  // Multiply before dividing: (29 / 100) * 100 is 28.999… in floating point and would floor to 28.
  const percent = Math.floor((processed * 100) / total);
  if (!Number.isFinite(percent)) return 0;
  return Math.min(100, Math.max(0, percent));
}
