import { isTerminalStatus, OperationStatus } from '@asyncops/domain';

/** The part of a child operation that its parent's status and counts are computed from. */
export interface RollUpChild {
  status: OperationStatus;
  totalJobItems: number | null;
  successfulJobItems: number | null;
  failedJobItems: number | null;
}

export interface RollUpResult {
  status: OperationStatus;
  totalJobItems: number;
  successfulJobItems: number;
  failedJobItems: number;
}

/**
 * A parent operation's status and counts, derived from its children. `null` when there are no
 * children, because a parent with no children has nothing to derive and keeps its own values.
 *
 * Counts are the sums of the children's counts; a child that has not reported a count (null)
 * contributes 0, so the parent's counts only ever grow as children report.
 *
 * Status:
 * - While any child is unfinished the parent is unfinished: `InProgress` as soon as any child has
 *   started (is InProgress or terminal), `Submitted` while all children are still Submitted.
 * - Once every child is terminal: `Completed` if all completed, `Failure` if all failed,
 *   `Cancelled` if all were cancelled, `Failure` if none completed and some failed (the rest having
 *   been cancelled: a real failure says more than the cancellation), and `CompletedWithFailures`
 *   otherwise (completed work mixed with failed or cancelled work, or any child that itself
 *   completed with failures), because the parent then did part of its work but not all of it.
 *
 * The result depends only on the set of children, not their order, so recomputing it after each
 * child event converges whatever order the events arrive in.
 */
export function rollUp(children: ReadonlyArray<RollUpChild>): RollUpResult | null {
  if (children.length === 0) return null;
  let totalJobItems = 0;
  let successfulJobItems = 0;
  let failedJobItems = 0;
  for (const child of children) {
    totalJobItems += child.totalJobItems ?? 0;
    successfulJobItems += child.successfulJobItems ?? 0;
    failedJobItems += child.failedJobItems ?? 0;
  }
  return { status: rollUpStatus(children), totalJobItems, successfulJobItems, failedJobItems };
}

function rollUpStatus(children: ReadonlyArray<RollUpChild>): OperationStatus {
  if (!children.every((child) => isTerminalStatus(child.status))) {
    return children.some((child) => child.status !== 'Submitted') ? 'InProgress' : 'Submitted';
  }
  if (children.every((child) => child.status === 'Completed')) return 'Completed';
  if (children.every((child) => child.status === 'Cancelled')) return 'Cancelled';
  if (children.every((child) => child.status === 'Failure' || child.status === 'Cancelled')) return 'Failure';
  return 'CompletedWithFailures';
}
