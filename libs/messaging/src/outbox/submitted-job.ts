import { Headers, OperationEvents, OperationSubmitted, SubmittedJob } from '@asyncops/contracts';
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
