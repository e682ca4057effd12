import { ExchangeRole, Headers, OperationEvents, OperationSubmitted, SubmittedJob } from '@asyncops/contracts';
import type { OutgoingMessage } from '../amqp/publisher';
import type { OutboxWriter } from './outbox';

/**
 * Announces a job the owning service accepted: its `operation.submitted` (and its children's, in
 * the parent's lane so the tracker applies the family in the order written) go into the outbox of
 * the transaction that made the job, and the same payloads come back for the RPC reply. The
 * gateway forwards them to the tracker for read-your-writes; the tracker records them once,
 * whichever copy arrives first.
 */
export async function announceSubmitted(outbox: OutboxWriter, operation: OperationSubmitted, children: OperationSubmitted[] = []): Promise<SubmittedJob> {
  await outbox.addEvent(OperationEvents.Submitted, operation);
  for (const child of children) {
    await outbox.addEvent(OperationEvents.Submitted, child, { [Headers.OperationId]: operation.operationId });
  }
  return children.length ? { operation, children } : { operation };
}

/**
 * A job's `operation.submitted` from the row that holds it: its operation, owner and submission
 * time, what `job` says of it, and the request id only when the caller sent one.
 */
export function submittedFromRow(
  row: { operation_id: string; owner_id: string; request_id: string | null },
  submittedAt: Date | string,
  job: Omit<OperationSubmitted, 'operationId' | 'occurredAt' | 'ownerId' | 'requestId'>,
): OperationSubmitted {
  return {
    operationId: row.operation_id,
    occurredAt: new Date(submittedAt).toISOString(),
    ownerId: row.owner_id,
    ...job,
    ...(row.request_id ? { requestId: row.request_id } : {}),
  };
}

/**
 * A work command of an operation, in that operation's lane. `messageId` is derived from what the
 * command does, so the same command written twice is deduplicated by the consumer.
 */
export function operationCommand(routingKey: string, body: { operationId: string }, messageId: string): OutgoingMessage {
  return { exchange: ExchangeRole.Commands, routingKey, body, messageId, headers: { [Headers.OperationId]: body.operationId } };
}
