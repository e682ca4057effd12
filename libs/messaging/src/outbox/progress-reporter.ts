import { createHash } from 'node:crypto';
import {
  ExchangeRole,
  Headers,
  ItemFailure,
  MAX_ITEM_FAILURES_PER_EVENT,
  OperationEvents,
  OperationFinished,
  PayloadOf,
  RoutingKey,
} from '@asyncops/contracts';
import type { OutboxWriter } from './outbox';

/**
 * The message id of a lifecycle event, derived from what the event says: the same event (same
 * operation, routing key and payload, which includes its `occurredAt`) always gets the same id, so
 * a repeated write is deduplicated by the tracker like a redelivery; two different events never
 * share one. Shaped as a UUID (version 5 layout over SHA-256).
 */
export function lifecycleMessageId(routingKey: string, payload: object): string {
  const h = createHash('sha256').update(routingKey).update('\n').update(JSON.stringify(payload)).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export interface ProgressReporterOptions {
  /**
   * The operation whose tracker lane the events travel in (header `x-operation-id`). A child passes
   * its parent's id, so the tracker applies the family's events in the order they were written (the
   * tracker serialises events per x-operation-id); by default each operation has its own lane.
   */
  laneOperationId?: string;
}

/**
 * Reports one operation's lifecycle to the tracker through the caller's outbox, inside the caller's
 * transaction (the producer side of the lifecycle contract): started, step-changed,
 * items-progressed and finished events.
 *
 * - Timestamps strictly increase across the whole operation, even when several events share a
 *   transaction or a batch runs within the same millisecond as the last, because the tracker
 *   orders an operation's events by them and rejects a step change that is not newer. Persist
 *   `lastReportedAt` with the operation's state and pass it to the next batch's reporter.
 * - Item failures are never cut: a batch with more than `MAX_ITEM_FAILURES_PER_EVENT` failures
 *   is written as several items-progressed events, the first carrying the succeeded count.
 * - Every event has a deterministic message id (`lifecycleMessageId`).
 */
export class ProgressReporter {
  private last: number;

  private readonly headers: Record<string, string>;

  constructor(
    private readonly outbox: Pick<OutboxWriter, 'add'>,
    private readonly operationId: string,
    lastReportedAt: Date | null,
    options: ProgressReporterOptions = {},
  ) {
    this.last = lastReportedAt?.getTime() ?? 0;
    this.headers = options.laneOperationId ? { [Headers.OperationId]: options.laneOperationId } : {};
  }

  /** The latest timestamp used; persisted with the operation so a later batch continues after it. */
  get lastReportedAt(): Date {
    return new Date(this.last);
  }

  private next(): string {
    this.last = Math.max(Date.now(), this.last + 1);
    return new Date(this.last).toISOString();
  }

  private async write<K extends RoutingKey>(routingKey: K, payloads: PayloadOf<K>[]): Promise<void> {
    await this.outbox.add(
      ...payloads.map((body) => ({
        exchange: ExchangeRole.Events,
        routingKey,
        body,
        headers: this.headers,
        messageId: lifecycleMessageId(routingKey, body as object),
      })),
    );
  }

  async started(details: { stepName?: string; totalJobItems?: number } = {}): Promise<void> {
    await this.write(OperationEvents.Started, [
      {
        operationId: this.operationId,
        occurredAt: this.next(),
        ...(details.stepName !== undefined ? { stepName: details.stepName } : {}),
        ...(details.totalJobItems !== undefined ? { totalJobItems: details.totalJobItems } : {}),
      },
    ]);
  }

  async step(stepName: string): Promise<void> {
    await this.write(OperationEvents.StepChanged, [{ operationId: this.operationId, occurredAt: this.next(), stepName }]);
  }

  /**
   * Adds `succeeded` and `failures` to the operation's counts. Nothing is written when there is
   * nothing to report (no items and no total).
   */
  async progressed(succeeded: number, failures: ItemFailure[] = [], totalJobItems?: number): Promise<void> {
    if (!succeeded && !failures.length && totalJobItems === undefined) return;
    const events: PayloadOf<typeof OperationEvents.ItemsProgressed>[] = [];
    for (let i = 0; i === 0 || i < failures.length; i += MAX_ITEM_FAILURES_PER_EVENT) {
      const part = failures.slice(i, i + MAX_ITEM_FAILURES_PER_EVENT);
      events.push({
        operationId: this.operationId,
        occurredAt: this.next(),
        succeeded: i === 0 ? succeeded : 0,
        failed: part.length,
        ...(part.length ? { failures: part } : {}),
        ...(totalJobItems !== undefined ? { totalJobItems } : {}),
      });
    }
    await this.write(OperationEvents.ItemsProgressed, events);
  }

  async finished(outcome: Omit<OperationFinished, 'operationId' | 'occurredAt'>): Promise<void> {
    await this.write(OperationEvents.Finished, [{ operationId: this.operationId, occurredAt: this.next(), ...outcome }]);
  }
}
