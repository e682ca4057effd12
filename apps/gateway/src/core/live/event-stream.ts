import type { OperationEventsPage } from '@asyncops/contracts';
import type { WaitHandle } from '../tracker/operation-waiter';
import { formatHeartbeat, formatOperationEvent } from './sse';

export const EVENTS_PAGE_SIZE = 200;

export interface EventStreamIo {
  /** Events after `afterSeq` from the tracker's log, oldest first, at most EVENTS_PAGE_SIZE. */
  read(afterSeq: number): Promise<OperationEventsPage>;
  /** Resolves once the chunk is handed to the socket (honouring backpressure). */
  write(chunk: string): Promise<void>;
  /** Woken by every change of the owner; remembers a wake-up that came while we were reading. */
  wake: WaitHandle;
  heartbeatMs: number;
  signal: AbortSignal;
}

/**
 * Follows the log from `after`. The log, not the notification, is the truth: a notification only
 * says "read again", and each read asks for seq > last delivered, so events are never repeated
 * and a missed or reordered notification cannot open a gap. When nothing arrives, a heartbeat is
 * sent and the log is read anyway, which also covers notifications lost while the broker
 * reconnected. Returns the last sequence delivered.
 */
export async function followEvents(after: number, io: EventStreamIo): Promise<number> {
  let last = after;
  while (!io.signal.aborted) {
    const page = await io.read(last);
    for (const e of page.items) {
      if (e.seq <= last) continue;
      await io.write(formatOperationEvent(e));
      last = e.seq;
      if (io.signal.aborted) return last;
    }
    if (page.items.length >= EVENTS_PAGE_SIZE) continue;
    const outcome = await io.wake.wait(io.heartbeatMs, io.signal);
    if (outcome === 'aborted' || outcome === 'closed') break;
    if (outcome === 'timeout') await io.write(formatHeartbeat());
  }
  return last;
}
