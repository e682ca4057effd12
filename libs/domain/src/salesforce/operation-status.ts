import { oneOf, withLabels } from '../internal/picklist';

/**
 * The `AsyncOperationTracker.Status` picklist (seed 000), verbatim. Listed in lifecycle order rather
 * than the seed's alphabetical order so that sorting by index sorts by progress. This is what the
 * Salesforce surface describes and shows; `Cancelled` is not one of its values.
 */
export const SALESFORCE_OPERATION_STATUSES = [
  'Submitted',
  'InProgress',
  'Completed',
  'CompletedWithFailures',
  'Failure',
] as const;

export type SalesforceOperationStatus = (typeof SALESFORCE_OPERATION_STATUSES)[number];

export const SALESFORCE_OPERATION_STATUS_LABELS: Readonly<Record<SalesforceOperationStatus, string>> = withLabels(
  SALESFORCE_OPERATION_STATUSES,
  {
    InProgress: 'In Progress',
    CompletedWithFailures: 'Completed With Failures',
  },
);

/**
 * The canonical status of every operation in the system (the native view): the seed's statuses plus
 * `Cancelled`, the end of an operation whose producer stopped at a batch boundary because its client
 * asked it to (the work done so far is kept and counted). The Salesforce, Voucherify and Zuora
 * statuses are views of it; those without a word for cancelled show their failure status.
 */
export const OPERATION_STATUSES = [...SALESFORCE_OPERATION_STATUSES, 'Cancelled'] as const;

export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const OPERATION_STATUS_LABELS: Readonly<Record<OperationStatus, string>> = withLabels(OPERATION_STATUSES, {
  ...SALESFORCE_OPERATION_STATUS_LABELS,
});

export const isOperationStatus: (x: unknown) => x is OperationStatus = oneOf(OPERATION_STATUSES);

/** Statuses an operation never leaves: once here, its counts, result and FinishedAt are settled. */
export const TERMINAL_STATUSES = [
  'Completed',
  'CompletedWithFailures',
  'Failure',
  'Cancelled',
] as const satisfies readonly OperationStatus[];

export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

/** Accepts any value so callers can test an unvalidated status without narrowing it first. */
export const isTerminalStatus: (x: unknown) => x is TerminalStatus = oneOf(TERMINAL_STATUSES);
