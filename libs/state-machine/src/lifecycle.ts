import { isTerminalStatus, OperationStatus } from '@asyncops/domain';
import { checkTransition, transitionPath } from './transitions';
import { rollUp, RollUpChild } from './roll-up';

/** The part of an operation record that lifecycle events change. */
export interface LifecycleState {
  status: OperationStatus;
  startedAt: Date | null;
  finishedAt: Date | null;
  stepName: string | null;
  /** When the current step was reported; older step reports are stale. */
  stepChangedAt: Date | null;
  totalJobItems: number | null;
  successfulJobItems: number;
  failedJobItems: number;
  /** Set when a finish stated final counts; later progress reports cannot change them. */
  countsFinal: boolean;
  message: string | null;
  errors: LifecycleError[] | null;
  result: Record<string, unknown> | null;
}

export interface LifecycleError {
  message: string;
  details?: string;
  key?: string;
}

export type LifecyclePatch = Partial<LifecycleState>;

/** Timestamps arrive as ISO strings in messages and parked rows, and as dates from callers. */
type Instant = string | Date;

export type LifecycleEvent =
  | { kind: 'started'; occurredAt: Instant; stepName?: string; totalJobItems?: number }
  | { kind: 'step-changed'; occurredAt: Instant; stepName: string }
  | {
      kind: 'items-progressed';
      occurredAt: Instant;
      succeeded: number;
      failed: number;
      totalJobItems?: number;
      stepName?: string;
      /** Only their number matters here; the caller stores them when the event applies. */
      failures?: ReadonlyArray<unknown>;
    }
  | {
      kind: 'finished';
      occurredAt: Instant;
      status: OperationStatus;
      startedAt?: Instant;
      message?: string;
      errors?: ReadonlyArray<LifecycleError>;
      result?: Record<string, unknown>;
      totalJobItems?: number;
      successfulJobItems?: number;
      failedJobItems?: number;
    }
  /** A message of the operation's own work could not be processed and was parked. */
  | { kind: 'dead-lettered'; occurredAt: Instant; reason: string };

export type LifecycleEventKind = LifecycleEvent['kind'];

/** Why a change was refused: the status it found, the status (or step) it wanted, and why not. */
export interface LifecycleRejection {
  from: OperationStatus;
  to: string;
  reason: string;
}

/**
 * The outcome of one event: the fields to change (`null`: nothing changes) and, when the event was
 * refused, why. A repeated terminal event (e.g. a second `finished` with the same status) yields
 * neither: it is a redelivery, not a contradiction.
 */
export interface LifecycleOutcome {
  patch: LifecyclePatch | null;
  rejection: LifecycleRejection | null;
}

const unchanged: LifecycleOutcome = Object.freeze({ patch: null, rejection: null });
const rejected = (from: OperationStatus, to: string, reason: string): LifecycleOutcome => ({ patch: null, rejection: { from, to, reason } });
const instant = (x: Instant): Date => (x instanceof Date ? x : new Date(x));

/**
 * Moves `state` to `target` along legal steps, adding the status and the StartedAt/FinishedAt the
 * steps imply to `patch`. Returns the rejection when `target` cannot be reached, `'same'` when the
 * state is already there, and `'moved'` otherwise.
 */
function walk(state: LifecycleState, target: OperationStatus, at: Date, patch: LifecyclePatch): LifecycleRejection | 'same' | 'moved' {
  const from = patch.status ?? state.status;
  const path = transitionPath(from, target);
  if (path === null) {
    const check = checkTransition(from, target);
    return { from: state.status, to: target, reason: check.allowed ? 'no legal path' : check.message };
  }
  if (!path.length) return 'same';
  for (const step of path) {
    if (step === 'InProgress' && !state.startedAt && !patch.startedAt) patch.startedAt = at;
    if (isTerminalStatus(step)) patch.finishedAt = at;
  }
  patch.status = target;
  return 'moved';
}

/** Sets the step unless the report is older than the current step's. */
function setStep(state: LifecycleState, stepName: string | undefined, at: Date, patch: LifecyclePatch): boolean {
  if (!stepName) return false;
  if (state.stepChangedAt && at < state.stepChangedAt) return false;
  patch.stepName = stepName;
  patch.stepChangedAt = at;
  return true;
}

/** Moves an operation to `target` (e.g. a parent following its children), or says why it cannot. */
export function transitionTo(state: LifecycleState, target: OperationStatus, at: Date): LifecycleOutcome {
  const patch: LifecyclePatch = {};
  const moved = walk(state, target, at, patch);
  if (moved === 'same') return unchanged;
  if (moved !== 'moved') return { patch: null, rejection: moved };
  return { patch, rejection: null };
}

/**
 * Applies one lifecycle event to an operation, purely: the caller persists the patch (and, for
 * `items-progressed`, the event's failures) and logs the rejection. Events may arrive late, twice
 * or out of order, so:
 * - `started` applies only to a Submitted operation;
 * - `step-changed` applies unless the operation finished or the step is older than the current one,
 *   and starts a Submitted operation;
 * - `items-progressed` adds its deltas; after the finish it still counts when it was made before the
 *   finish and the finish stated no final counts;
 * - `finished` walks every legal step to its status (a finish overtaking `started` records both),
 *   and its counts, when given, replace the running ones and become final;
 * - `dead-lettered` ends the operation in Failure with the reason.
 */
export function applyEvent(state: LifecycleState, event: LifecycleEvent): LifecycleOutcome {
  const at = instant(event.occurredAt);
  const patch: LifecyclePatch = {};
  switch (event.kind) {
    case 'started': {
      if (state.status !== 'Submitted') return rejected(state.status, 'InProgress', 'stale started event');
      walk(state, 'InProgress', at, patch);
      patch.startedAt = at;
      setStep(state, event.stepName, at, patch);
      if (event.totalJobItems !== undefined) patch.totalJobItems = event.totalJobItems;
      return { patch, rejection: null };
    }
    case 'step-changed': {
      if (isTerminalStatus(state.status)) return rejected(state.status, state.status, 'step change after the operation finished');
      if (!setStep(state, event.stepName, at, patch)) return rejected(state.status, state.status, 'stale step change');
      if (state.status === 'Submitted') walk(state, 'InProgress', at, patch);
      return { patch, rejection: null };
    }
    case 'items-progressed': {
      const terminal = isTerminalStatus(state.status);
      // A report made before the finish but delivered after it still counts, unless the finish
      // stated final counts.
      if (terminal && (state.countsFinal || !state.finishedAt || at > state.finishedAt)) {
        return rejected(state.status, state.status, 'progress after the operation finished; its counts are final');
      }
      if (state.status === 'Submitted') walk(state, 'InProgress', at, patch);
      patch.successfulJobItems = state.successfulJobItems + event.succeeded;
      patch.failedJobItems = state.failedJobItems + Math.max(event.failed, event.failures?.length ?? 0);
      if (event.totalJobItems !== undefined) patch.totalJobItems = event.totalJobItems;
      if (!terminal) setStep(state, event.stepName, at, patch);
      return { patch, rejection: null };
    }
    case 'finished': {
      if (!state.startedAt) patch.startedAt = event.startedAt ? instant(event.startedAt) : at;
      const moved = walk(state, event.status, at, patch);
      if (moved === 'same') return unchanged;
      if (moved !== 'moved') return { patch: null, rejection: moved };
      patch.finishedAt = at;
      if (event.message !== undefined) patch.message = event.message;
      if (event.errors !== undefined) patch.errors = event.errors.map((x) => ({ ...x }));
      if (event.result !== undefined) patch.result = event.result;
      if (event.totalJobItems !== undefined) patch.totalJobItems = event.totalJobItems;
      if (event.successfulJobItems !== undefined) patch.successfulJobItems = event.successfulJobItems;
      if (event.failedJobItems !== undefined) patch.failedJobItems = event.failedJobItems;
      patch.countsFinal = [event.totalJobItems, event.successfulJobItems, event.failedJobItems].some((c) => c !== undefined);
      return { patch, rejection: null };
    }
    case 'dead-lettered': {
      const moved = walk(state, 'Failure', at, patch);
      if (moved === 'same') return unchanged;
      if (moved !== 'moved') return { patch: null, rejection: moved };
      patch.message = event.reason;
      patch.errors = [...(state.errors ?? []), { message: event.reason, key: 'message_dead_lettered' }];
      return { patch, rejection: null };
    }
  }
}

/** One row per child status with summed counts: what a parent's roll-up is computed from. */
export interface ChildGroup {
  status: OperationStatus;
  count: number;
  totalJobItems: number | null;
  successfulJobItems: number | null;
  failedJobItems: number | null;
}

/**
 * A parent's change after its children changed: child count, summed counts, and the rolled-up
 * status when it is reachable from the parent's own. `null` patch when nothing differs.
 */
export function applyRollUp(parent: LifecycleState & { childCount: number }, groups: ReadonlyArray<ChildGroup>, at: Date): LifecycleOutcome & { patch: (LifecyclePatch & { childCount?: number }) | null } {
  // A group stands for all its children: rollUp sums counts and looks only at the set of statuses.
  const r = rollUp(groups.map((g): RollUpChild => ({ status: g.status, totalJobItems: g.totalJobItems, successfulJobItems: g.successfulJobItems, failedJobItems: g.failedJobItems })));
  if (!r) return unchanged;
  const patch: LifecyclePatch & { childCount?: number } = {};
  let changed = false;
  const childCount = groups.reduce((sum, g) => sum + g.count, 0);
  if (childCount !== parent.childCount) {
    patch.childCount = childCount;
    changed = true;
  }
  if (r.totalJobItems !== (parent.totalJobItems ?? 0) || r.successfulJobItems !== parent.successfulJobItems || r.failedJobItems !== parent.failedJobItems) {
    Object.assign(patch, { totalJobItems: r.totalJobItems, successfulJobItems: r.successfulJobItems, failedJobItems: r.failedJobItems });
    changed = true;
  }
  let rejection: LifecycleRejection | null = null;
  if (r.status !== parent.status) {
    const moved = walk(parent, r.status, at, patch);
    if (moved === 'moved') changed = true;
    else if (moved !== 'same') rejection = moved;
  }
  return { patch: changed ? patch : null, rejection };
}
