import { ItemFailure, MAX_ITEM_FAILURES_PER_EVENT, OperationEvents, OperationFinished } from '@asyncops/contracts';
import { OutboxWriter } from '@asyncops/messaging';

/**
 * Reports an import to the tracker through the outbox (the producer contract). Timestamps
 * strictly increase across the whole import, even when batches run within one millisecond,
 * because the tracker orders an operation's events by them.
 */
export class ImportReporter {
  private last: number;

  constructor(
    private readonly outbox: OutboxWriter,
    private readonly operationId: string,
    lastReportedAt: Date | null,
  ) {
    this.last = lastReportedAt?.getTime() ?? 0;
  }

  get lastReportedAt(): Date {
    return new Date(this.last);
  }

  private next(): string {
    this.last = Math.max(Date.now(), this.last + 1);
    return new Date(this.last).toISOString();
  }

  async started(): Promise<void> {
    await this.outbox.addEvent(OperationEvents.Started, { operationId: this.operationId, occurredAt: this.next(), stepName: 'ImportRows' });
  }

  async progressed(succeeded: number, failures: ItemFailure[], totalJobItems?: number): Promise<void> {
    for (let i = 0; i === 0 || i < failures.length; i += MAX_ITEM_FAILURES_PER_EVENT) {
      const part = failures.slice(i, i + MAX_ITEM_FAILURES_PER_EVENT);
      await this.outbox.addEvent(OperationEvents.ItemsProgressed, {
        operationId: this.operationId,
        occurredAt: this.next(),
        succeeded: i === 0 ? succeeded : 0,
        failed: part.length,
        ...(part.length ? { failures: part } : {}),
        ...(totalJobItems !== undefined ? { totalJobItems } : {}),
      });
    }
  }

  async finished(outcome: Omit<OperationFinished, 'operationId' | 'occurredAt'>): Promise<void> {
    await this.outbox.addEvent(OperationEvents.Finished, { operationId: this.operationId, occurredAt: this.next(), ...outcome });
  }
}
