import type { OutboxWriter } from '@asyncops/messaging';

type OutgoingMessage = Parameters<OutboxWriter['add']>[number];

/**
 * The outbox of one batch's transaction, written once at its end: a batch reports seven or more
 * lifecycle events and its next command, and one multi-row INSERT costs one round trip where
 * writing each as it is reported cost one apiece. Rows keep the order they were added in, and
 * nothing is visible before the transaction commits either way. `rollbackTo` drops what a
 * rolled-back savepoint undid, as the savepoint would have undone the rows.
 */
export class BatchOutbox implements Pick<OutboxWriter, 'add'> {
  private pending: OutgoingMessage[] = [];

  constructor(private readonly outbox: Pick<OutboxWriter, 'add'>) {}

  async add(...messages: OutgoingMessage[]): Promise<void> {
    this.pending.push(...messages);
  }

  /** A mark to roll back to, taken with a savepoint. */
  savepoint(): number {
    return this.pending.length;
  }

  rollbackTo(mark: number): void {
    this.pending.length = mark;
  }

  async flush(): Promise<void> {
    const messages = this.pending;
    this.pending = [];
    await this.outbox.add(...messages);
  }

  /** What `flush` would write, taken out: the caller writes it itself. */
  take(): OutgoingMessage[] {
    const messages = this.pending;
    this.pending = [];
    return messages;
  }
}
