import { ExchangeRole, Headers, OperationEvents, OperationSubmitted, SubmittedJob } from '@asyncops/contracts';
import type { OutgoingMessage } from '../amqp/publisher';
import type { OutboxWriter } from './outbox';

/**
 * How long the outbox holds back its copy of a submit that the reply also carries. The caller
 * records the reply's copy at once (read-your-writes); the outbox copy only matters if that never
 * happens (the caller died), so it waits until the caller is done with its copy: arriving together,
 * the two creations of one operation would queue on its lock, and the caller's answer with them.
 */
export const SUBMITTED_COPY_DELAY_MS = 1000;

/**
 * Announces a job the owning service accepted: its `operation.submitted` (and its children's, in
 * the parent's lane so the tracker applies the family in the order written) go into the outbox of
 * the transaction that made the job, and the same payloads come back for the RPC reply. The
 * gateway forwards them to the tracker for read-your-writes; the tracker records them once,
 * whichever copy arrives first. The outbox copies are held back (SUBMITTED_COPY_DELAY_MS): the
 * job's own events may then reach the tracker before them, which it handles either way (applied
 * to the recorded operation, or parked until its submit arrives).
 */
export async function announceSubmitted(outbox: OutboxWriter, operation: OperationSubmitted, children: OperationSubmitted[] = []): Promise<SubmittedJob> {
  const held = { delayMs: SUBMITTED_COPY_DELAY_MS };
  await outbox.addEvent(OperationEvents.Submitted, operation, {}, held);
  for (const child of children) {
    await outbox.addEvent(OperationEvents.Submitted, child, { [Headers.OperationId]: operation.operationId }, held);
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
