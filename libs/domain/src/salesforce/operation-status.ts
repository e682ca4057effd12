import { oneOf, withLabels } from '../internal/picklist';

/**
 * `AsyncOperationTracker.Status` (seed 000). This is the canonical status of every operation in the
 * system; the Voucherify and Zuora statuses are views of it. Listed in lifecycle order rather than the
 * seed's alphabetical order so that sorting by index sorts by progress.
 */
export const OPERATION_STATUSES = [
  'Submitted',
  'InProgress',
  'Completed',
  'CompletedWithFailures',
  'Failure',
] as const;

export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const OPERATION_STATUS_LABELS: Readonly<Record<OperationStatus, string>> = withLabels(
  OPERATION_STATUSES,
  {
    InProgress: 'In Progress',
    CompletedWithFailures: 'Completed With Failures',
  },
);

export const isOperationStatus: (x: unknown) => x is OperationStatus = oneOf(OPERATION_STATUSES);

/** Statuses an operation never leaves: once here, its counts, result and FinishedAt are settled. */
export const TERMINAL_STATUSES = [
  'Completed',
  'CompletedWithFailures',
  'Failure',
] as const satisfies readonly OperationStatus[];

export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

/** Accepts any value so callers can test an unvalidated status without narrowing it first. */
export const isTerminalStatus: (x: unknown) => x is TerminalStatus = oneOf(TERMINAL_STATUSES);
