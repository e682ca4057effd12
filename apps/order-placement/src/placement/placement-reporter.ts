import { Headers, ItemFailure, MAX_ITEM_FAILURES_PER_EVENT, OperationEvents, OperationFinished } from '@asyncops/contracts';
import { OutboxWriter } from '@asyncops/messaging';

/**
 * Reports the placement to the tracker through the outbox (the producer contract). Timestamps
 * strictly increase across the whole placement, even when several events share a transaction
 * or a batch runs within the same millisecond as the last, because the tracker rejects a step
 * change that is not newer than the current one.
 */
export class PlacementReporter {
  private last: number;

  private readonly headers: Record<string, string>;

  /**
   * `laneOperationId`: the operation whose tracker lane the events travel in. A child passes its
   * parent's id, so the tracker applies the family's events in the order they were written (the
   * tracker serialises events per x-operation-id); by default each operation has its own lane.
   */
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly operationId: string,
    lastReportedAt: Date | null,
    laneOperationId?: string,
  ) {
    this.last = lastReportedAt?.getTime() ?? 0;
    this.headers = laneOperationId ? { [Headers.OperationId]: laneOperationId } : {};
  }

  /** The latest timestamp used; persisted on the order so a later batch continues after it. */
  get lastReportedAt(): Date {
    return new Date(this.last);
  }

  private next(): string {
    this.last = Math.max(Date.now(), this.last + 1);
    return new Date(this.last).toISOString();
  }

  async started(totalJobItems: number): Promise<void> {
    await this.outbox.addEvent(OperationEvents.Started, { operationId: this.operationId, occurredAt: this.next(), totalJobItems }, this.headers);
  }

  async step(stepName: string): Promise<void> {
    await this.outbox.addEvent(OperationEvents.StepChanged, { operationId: this.operationId, occurredAt: this.next(), stepName }, this.headers);
  }

  async progressed(succeeded: number, failures: ItemFailure[] = []): Promise<void> {
    if (!succeeded && !failures.length) return;
    await this.outbox.addEvent(
      OperationEvents.ItemsProgressed,
      {
        operationId: this.operationId,
        occurredAt: this.next(),
        succeeded,
        failed: failures.length,
        ...(failures.length ? { failures: failures.slice(0, MAX_ITEM_FAILURES_PER_EVENT) } : {}),
      },
      this.headers,
    );
  }

  async finished(outcome: Omit<OperationFinished, 'operationId' | 'occurredAt'>): Promise<void> {
    await this.outbox.addEvent(OperationEvents.Finished, { operationId: this.operationId, occurredAt: this.next(), ...outcome }, this.headers);
  }
}
