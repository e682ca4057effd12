import { cached, queueMessages } from '@asyncops/platform';
import { AmqpConnection } from './connection';

/**
 * Reports how many messages wait in the given queues (names without the deployment prefix, e.g.
 * `dead-letter`), asked of the broker when Prometheus scrapes, at most every 5 s. Returns the
 * function that stops reporting.
 */
export function observeQueueDepths(connection: AmqpConnection, queues: string[]): () => void {
  const read = cached(5000, async () => {
    if (!connection.isConnected()) return [];
    const rows: Array<{ labels: { queue: string }; value: number }> = [];
    for (const queue of queues) {
      // A channel per queue: checkQueue closes its channel when the queue does not exist (yet).
      const ch = await connection.createChannel();
      ch.on('error', () => undefined);
      try {
        const { messageCount } = await ch.checkQueue(connection.topology.queue(queue));
        rows.push({ labels: { queue }, value: messageCount });
      } catch {
        // Not declared yet: no depth to report.
      } finally {
        await ch.close().catch(() => undefined);
      }
    }
    return rows;
  });
  return queueMessages.add(read);
}
