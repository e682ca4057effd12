import type { OutboxWriter } from '@asyncops/messaging';

type OutgoingMessage = Parameters<OutboxWriter['add']>[number];

interface Pending {
  message: OutgoingMessage;
  /** Held back this long (the relay's `publish_after`), or sent at once. */
  delayMs?: number;
}

/**
 * The outbox of one batch's transaction, written once at its end: a batch reports seven or more
 * lifecycle events and its next command, and one multi-row INSERT costs one round trip where
 * writing each as it is reported cost one apiece. Rows keep the order they were added in, and
 * nothing is visible before the transaction commits either way. `rollbackTo` drops what a
 * rolled-back savepoint undid, as the savepoint would have undone the rows.
 */
export class BatchOutbox implements Pick<OutboxWriter, 'add' | 'addHeldBack'> {
  private pending: Pending[] = [];

  constructor(private readonly outbox: Pick<OutboxWriter, 'add' | 'addHeldBack'>) {}

  async add(...messages: OutgoingMessage[]): Promise<void> {
    this.pending.push(...messages.map((message) => ({ message })));
  }

  async addHeldBack(delayMs: number, ...messages: OutgoingMessage[]): Promise<void> {
    this.pending.push(...messages.map((message) => ({ message, delayMs })));
  }

  /** A mark to roll back to, taken with a savepoint. */
  savepoint(): number {
    return this.pending.length;
  }

  rollbackTo(mark: number): void {
    this.pending.length = mark;
  }

  /** In the order added; consecutive messages with the same hold-back go in one call. */
  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    for (let i = 0; i < pending.length; ) {
      const delayMs = pending[i].delayMs;
      let j = i + 1;
      while (j < pending.length && pending[j].delayMs === delayMs) j++;
      const run = pending.slice(i, j).map((p) => p.message);
      if (delayMs === undefined) await this.outbox.add(...run);
      else await this.outbox.addHeldBack(delayMs, ...run);
      i = j;
    }
  }

  /** What `flush` would write, taken out: the caller writes it itself. Only for rows none of which is held back. */
  take(): OutgoingMessage[] {
    const pending = this.pending;
    if (pending.some((p) => p.delayMs !== undefined)) throw new Error('held-back outbox rows cannot be taken out of a batch outbox');
    this.pending = [];
    return pending.map((p) => p.message);
  }
}
