import { Headers, OperationEvents, OperationSubmitted, SubmittedJob } from '@asyncops/contracts';
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
