import { isRunning, RateWindow } from './progress';
import type { Operation, OperationChange } from './types';

/** Newest first: operation numbers are zero-padded auto-numbers, so longer is newer, then text order. */
export const byNumberDesc = (a: Pick<Operation, 'asyncOperationNumber'>, b: Pick<Operation, 'asyncOperationNumber'>) =>
  b.asyncOperationNumber.length - a.asyncOperationNumber.length || (a.asyncOperationNumber < b.asyncOperationNumber ? 1 : a.asyncOperationNumber > b.asyncOperationNumber ? -1 : 0);

/** Changes kept for operations not loaded yet (applied when they are); bounded. */
const MAX_PENDING_CHANGES = 5_000;

export interface ApplyResult {
  /** Operations this store holds that changed. */
  updated: number;
  /** Ids of operations it does not hold yet (new ones, or ones outside the loaded pages). */
  unknown: string[];
}

/**
 * Every operation the console has loaded, the order of the listed ones (newest first, as the API
 * pages them) and the recent rate of each. Mutable on purpose: 10,000 rows and hundreds of changes
 * a second would make copying the whole list per change the bottleneck; `revision` tells views
 * that something changed.
 */
export class OperationStore {
  private readonly byId = new Map<string, Operation>();
  private listed: string[] = [];
  private readonly listedSet = new Set<string>();
  private readonly rates = new Map<string, RateWindow>();
  private readonly pendingChanges = new Map<string, OperationChange>();
  private readonly listeners = new Set<() => void>();
  revision = 0;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.revision++;
    for (const l of this.listeners) l();
  }

  get size(): number {
    return this.listed.length;
  }

  at(index: number): Operation | undefined {
    const id = this.listed[index];
    return id === undefined ? undefined : this.byId.get(id);
  }

  get(id: string): Operation | undefined {
    return this.byId.get(id);
  }

  isListed(id: string): boolean {
    return this.listedSet.has(id);
  }

  /** Items per second over the last seconds of live changes, or null. */
  rate(id: string): number | null {
    return this.rates.get(id)?.perSecond() ?? null;
  }

  /** Starts a new list (new filters): keeps known records, forgets the order. */
  resetList(): void {
    this.listed = [];
    this.listedSet.clear();
    this.changed();
  }

  /** Appends a page in the API's order. */
  appendPage(ops: Operation[]): void {
    for (const op of ops) {
      this.remember(op);
      if (!this.listedSet.has(op.id)) {
        this.listed.push(op.id);
        this.listedSet.add(op.id);
      }
    }
    this.changed();
  }

  /** Adds an operation that appeared after the list was loaded, in its place (newest first). */
  insertListed(op: Operation): void {
    this.remember(op);
    if (!this.listedSet.has(op.id)) {
      let i = 0;
      while (i < this.listed.length && byNumberDesc(op, this.byId.get(this.listed[i]) as Operation) > 0) i++;
      this.listed.splice(i, 0, op.id);
      this.listedSet.add(op.id);
    }
    this.changed();
  }

  /** Stores a fetched record (detail page, import) without listing it. */
  upsert(op: Operation): void {
    this.remember(op);
    this.changed();
  }

  private remember(op: Operation): void {
    const current = this.byId.get(op.id);
    let next = current && current.version > op.version ? current : op;
    const pending = this.pendingChanges.get(op.id);
    if (pending) {
      this.pendingChanges.delete(op.id);
      next = applyChange(next, pending);
    }
    this.byId.set(op.id, next);
  }

  /** Applies a frame's worth of live changes; answers which ids it did not know. */
  applyChanges(changes: OperationChange[], now = Date.now()): ApplyResult {
    let updated = 0;
    const unknown: string[] = [];
    for (const c of changes) {
      this.sample(c, Date.parse(c.changedAt) || now);
      const op = this.byId.get(c.operationId);
      if (!op) {
        const pending = this.pendingChanges.get(c.operationId);
        if (!pending || c.version >= pending.version) {
          if (!pending && this.pendingChanges.size >= MAX_PENDING_CHANGES) {
            const oldest = this.pendingChanges.keys().next().value;
            if (oldest !== undefined) this.pendingChanges.delete(oldest);
          }
          this.pendingChanges.set(c.operationId, c);
        }
        unknown.push(c.operationId);
        continue;
      }
      const next = applyChange(op, c);
      if (next !== op) {
        this.byId.set(op.id, next);
        updated++;
      }
    }
    if (updated) this.changed();
    return { updated, unknown };
  }

  private sample(c: OperationChange, at: number): void {
    if (!isRunning(c.status)) {
      this.rates.delete(c.operationId);
      return;
    }
    let w = this.rates.get(c.operationId);
    if (!w) {
      w = new RateWindow();
      this.rates.set(c.operationId, w);
    }
    w.add({ at, done: c.successfulJobItems + c.failedJobItems });
  }
}

/** The operation after a live change; an older change (lower version) leaves it as it is. */
export function applyChange(op: Operation, c: OperationChange): Operation {
  if (c.version < op.version) return op;
  if (c.version === op.version && c.status === op.status && c.successfulJobItems === op.successfulJobItems && c.failedJobItems === op.failedJobItems) return op;
  const finished = !isRunning(c.status) && isRunning(op.status);
  return {
    ...op,
    status: c.status,
    stepName: c.stepName,
    progress: c.progress,
    totalJobItems: c.totalJobItems,
    successfulJobItems: c.successfulJobItems,
    failedJobItems: c.failedJobItems,
    version: c.version,
    updatedAt: c.changedAt,
    startedAt: op.startedAt ?? (c.status !== 'Submitted' ? c.changedAt : null),
    finishedAt: op.finishedAt ?? (finished ? c.changedAt : null),
  };
}
