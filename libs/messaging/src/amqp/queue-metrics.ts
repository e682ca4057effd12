import { cached, queueMessages } from '@asyncops/platform';
import { AmqpConnection } from './connection';

/** A queue by its name without the deployment prefix, or a partitioned one (QueueSpec.partitions) by its name and partition count. */
export type ObservedQueue = string | { name: string; partitions: number };

/**
 * Reports how many messages wait in the given queues (names without the deployment prefix, e.g.
 * `dead-letter`; a partitioned queue as the sum of its partitions, under its own name), asked of the
 * broker when Prometheus scrapes, at most every 5 s. Returns the function that stops reporting.
 */
export function observeQueueDepths(connection: AmqpConnection, queues: ObservedQueue[]): () => void {
  const depth = async (physical: string): Promise<number | undefined> => {
    // A channel per queue: checkQueue closes its channel when the queue does not exist (yet).
    const ch = await connection.createChannel();
    ch.on('error', () => undefined);
    try {
      return (await ch.checkQueue(physical)).messageCount;
    } catch {
      // Not declared yet: no depth to report.
      return undefined;
    } finally {
      await ch.close().catch(() => undefined);
    }
  };
  const read = cached(5000, async () => {
    if (!connection.isConnected()) return [];
    const rows: Array<{ labels: { queue: string }; value: number }> = [];
    for (const q of queues) {
      const name = typeof q === 'string' ? q : q.name;
      const physical = typeof q === 'string' ? [connection.topology.queue(q)] : Array.from({ length: q.partitions }, (_, p) => connection.topology.partitionQueue(q.name, p));
      const depths = (await Promise.all(physical.map(depth))).filter((d): d is number => d !== undefined);
      if (depths.length) rows.push({ labels: { queue: name }, value: depths.reduce((a, b) => a + b, 0) });
    }
    return rows;
  });
  return queueMessages.add(read);
}
