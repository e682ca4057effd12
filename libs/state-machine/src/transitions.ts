import { isOperationStatus, isTerminalStatus, OperationStatus } from '@asyncops/domain';

/**
 * The lifecycle of an operation: Submitted → InProgress → Completed | CompletedWithFailures | Failure,
 * plus Submitted → Failure for work rejected before it starts, and Submitted | InProgress → Cancelled
 * for work its producer stopped at a batch boundary because the client asked it to. Nothing goes backwards and nothing
 * leaves a terminal status, so once a client has seen a final answer it never changes.
 */
export const LEGAL_TRANSITIONS: Readonly<Record<OperationStatus, readonly OperationStatus[]>> = Object.freeze({
  Submitted: Object.freeze(['InProgress', 'Failure', 'Cancelled'] as const),
  InProgress: Object.freeze(['Completed', 'CompletedWithFailures', 'Failure', 'Cancelled'] as const),
  Completed: Object.freeze([] as const),
  CompletedWithFailures: Object.freeze([] as const),
  Failure: Object.freeze([] as const),
  Cancelled: Object.freeze([] as const),
});

/**
 * Why a transition was refused, so callers can react differently:
 * - `unchanged`: the status is already the target; a redelivered event, safe to ignore.
 * - `terminal`: the operation has already finished; a late or duplicate event, safe to ignore.
 * - `illegal`: the event contradicts the lifecycle (e.g. going back to Submitted); a bug to surface.
 */
export type TransitionRefusal = 'unchanged' | 'terminal' | 'illegal';

export type TransitionCheck =
  | { allowed: true }
  | { allowed: false; reason: TransitionRefusal; message: string };

/**
 * Decides whether `from` may move to `to`. Inputs are checked at run time as well because statuses
 * arrive in broker messages and database rows, where the static type is only a promise.
 */
export function checkTransition(from: OperationStatus, to: OperationStatus): TransitionCheck {
  if (!isOperationStatus(from) || !isOperationStatus(to)) {
    return {
      allowed: false,
      reason: 'illegal',
      message: `Unknown status in transition ${String(from)} → ${String(to)}`,
    };
  }
  if (from === to) {
    return { allowed: false, reason: 'unchanged', message: `Status is already ${from}` };
  }
  if (isTerminalStatus(from)) {
    return {
      allowed: false,
      reason: 'terminal',
      message: `${from} is a terminal status and cannot change to ${to}`,
    };
  }
  if (!LEGAL_TRANSITIONS[from].includes(to)) {
    return { allowed: false, reason: 'illegal', message: `${from} cannot change to ${to}` };
  }
  return { allowed: true };
}

export function canTransition(from: OperationStatus, to: OperationStatus): boolean {
  return checkTransition(from, to).allowed;
}

/**
 * The shortest chain of legal transitions leading from `from` to `to`, excluding `from`: `[]` when the
 * two are equal, `null` when `to` cannot be reached. Events can overtake each other on the broker, so
 * a "finished" event may arrive before its "started" event; the tracker walks this path to record
 * every step (and its timestamp) instead of rejecting the event.
 */
export function transitionPath(from: OperationStatus, to: OperationStatus): OperationStatus[] | null {
  if (!isOperationStatus(from) || !isOperationStatus(to)) return null;
  if (from === to) return [];
  // Breadth-first, so the first path found is a shortest one.
  const cameFrom = new Map<OperationStatus, OperationStatus>();
  const queue: OperationStatus[] = [from];
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head];
    for (const next of LEGAL_TRANSITIONS[current]) {
      if (next === from || cameFrom.has(next)) continue;
      cameFrom.set(next, current);
      if (next === to) return unwind(cameFrom, from, to);
      queue.push(next);
    }
  }
  return null;
}

function unwind(
  cameFrom: ReadonlyMap<OperationStatus, OperationStatus>,
  from: OperationStatus,
  to: OperationStatus,
): OperationStatus[] {
  const path: OperationStatus[] = [];
  for (let step: OperationStatus | undefined = to; step !== undefined && step !== from; step = cameFrom.get(step)) {
    path.unshift(step);
  }
  return path;
}
