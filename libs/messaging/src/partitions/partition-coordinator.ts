import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ContextLogger } from '@asyncops/platform';
import type { AmqpConnection } from '../amqp/connection';
import type { QueueConsumer } from '../amqp/queue-consumer';
import type { QueueSpec } from '../amqp/topology';
import { planLeases, targetPartitions } from './assignment';

export interface PartitionCoordinatorOptions {
  dataSource: DataSource;
  schema: string;
  connection: AmqpConnection;
  consumer: QueueConsumer;
  /** A partitioned queue (QueueSpec.partitions). */
  queue: QueueSpec;
  /** A member whose heartbeat is older than this is dead; a lease not renewed for this long is free. */
  leaseMs: number;
  log: ContextLogger;
}

/** How often an unpartitioned queue left by an older deployment is looked for once it is gone. */
const UNPARTITIONED_RECHECK_MS = 30_000;

/**
 * Gives each live replica a disjoint share of a partitioned queue's partitions through two tables
 * of the service's schema: `partition_member` (a heartbeat per replica) and `partition_lease` (the
 * holder of each partition and until when). Every tick a replica renews its heartbeat and its
 * leases, computes its share from the live members (`targetPartitions`), gives up the partitions
 * outside it only after the consumer has stopped taking them and finished their in-flight batches,
 * and takes the free or expired leases of its share. A replica that dies (SIGKILL) stops renewing:
 * its leases expire after `leaseMs` and the others take its partitions then. The database's clock
 * judges every expiry, so replicas' clocks may differ. Queues are single-active-consumer besides,
 * so even two replicas that both believe they hold a partition never consume it at once.
 *
 * It also drains the queue of the same name an unpartitioned deployment declared: unbound at
 * start, consumed alongside the partitions while it holds messages, deleted once empty and unused.
 */
export class PartitionCoordinator {
  readonly member = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly consuming = new Set<number>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private lastRenewedAt = 0;
  private unpartitioned: { taken: boolean; nextCheckAt: number } = { taken: false, nextCheckAt: 0 };
  private shared = false;

  constructor(private readonly o: PartitionCoordinatorOptions) {
    // Ready once this replica has taken its first share (the consumer's own gate then waits for the subscriptions).
    o.connection.addReadinessGate(() => (this.shared || this.stopped ? undefined : `no share of ${o.queue.name} taken yet`));
  }

  private get count(): number {
    return (this.o.queue.partitions as { count: number }).count;
  }

  private get intervalMs(): number {
    return Math.max(50, Math.floor(this.o.leaseMs / 5));
  }

  private partitionQueue(p: number): string {
    return this.o.connection.topology.partitionQueue(this.o.queue.name, p);
  }

  private get legacyQueue(): string {
    return this.o.connection.topology.queue(this.o.queue.name);
  }

  /** Takes a first share before resolving, so a replica that reports ready is consuming. */
  async start(): Promise<void> {
    await this.tick();
    this.schedule(this.intervalMs);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then((short) => this.schedule(short ? Math.min(200, this.intervalMs) : this.intervalMs))
        .catch(() => this.schedule(this.intervalMs));
    }, ms);
    this.timer.unref();
  }

  /** One round; resolves to whether this replica still lacks part of its share (then it looks again soon). */
  async tick(): Promise<boolean> {
    const { dataSource: db, schema: S, leaseMs } = this.o;
    const name = this.o.queue.name;
    try {
      await db.query(
        `INSERT INTO "${S}"."partition_member" ("queue", "member", "seen_at") VALUES ($1, $2, now())
         ON CONFLICT ("queue", "member") DO UPDATE SET "seen_at" = now()`,
        [name, this.member],
      );
      // Members gone long ago (killed, never stopped) are forgotten; the recent ones just count as dead.
      await db.query(`DELETE FROM "${S}"."partition_member" WHERE "queue" = $1 AND "seen_at" < now() - $2 * interval '1 millisecond'`, [name, leaseMs * 10]);
      const members: Array<{ member: string }> = await db.query(
        `SELECT "member" FROM "${S}"."partition_member" WHERE "queue" = $1 AND "seen_at" > now() - $2 * interval '1 millisecond' ORDER BY "member"`,
        [name, leaseMs],
      );
      const renewed: Array<{ partition: number }> = await db.query(
        // In a CTE: TypeORM answers a bare UPDATE with its count, not its rows.
        `WITH r AS (UPDATE "${S}"."partition_lease" SET "expires_at" = now() + $3 * interval '1 millisecond' WHERE "queue" = $1 AND "owner" = $2 RETURNING "partition")
         SELECT "partition" FROM r`,
        [name, this.member, leaseMs],
      );
      this.lastRenewedAt = Date.now();
      if (this.stopped) return false;
      const targets = targetPartitions(
        members.map((m) => m.member),
        this.member,
        this.count,
      );
      const plan = planLeases([...this.consuming], renewed.map((r) => r.partition), targets);
      for (const p of plan.lost) {
        this.o.log.warn({ msg: 'partition lease lost; stopping', event: 'partition-lost', queue: name, partition: p });
        await this.stopConsuming(p);
      }
      if (plan.release.length) {
        for (const p of plan.release) await this.stopConsuming(p);
        await db.query(`UPDATE "${S}"."partition_lease" SET "owner" = NULL, "expires_at" = now() WHERE "queue" = $1 AND "owner" = $2 AND "partition" = ANY($3::int[])`, [
          name,
          this.member,
          plan.release,
        ]);
        this.o.log.info({ msg: 'partitions handed over', event: 'partitions-released', queue: name, partitions: plan.release, members: members.length });
      }
      // Leases renewed but not consumed (e.g. the consumer was stopped by a failed round before).
      for (const p of renewed.map((r) => r.partition)) if (targets.includes(p) && !this.consuming.has(p)) await this.startConsuming(p);
      if (plan.acquire.length) {
        const got: Array<{ partition: number }> = await db.query(
          `INSERT INTO "${S}"."partition_lease" ("queue", "partition", "owner", "expires_at")
           SELECT $1, p, $2, now() + $4 * interval '1 millisecond' FROM unnest($3::int[]) AS p
           ON CONFLICT ("queue", "partition") DO UPDATE SET "owner" = EXCLUDED."owner", "expires_at" = EXCLUDED."expires_at"
           WHERE "partition_lease"."owner" IS NULL OR "partition_lease"."expires_at" < now()
           RETURNING "partition"`,
          [name, this.member, plan.acquire, leaseMs],
        );
        for (const { partition } of got) await this.startConsuming(partition);
        if (got.length) this.o.log.info({ msg: 'partitions taken', event: 'partitions-taken', queue: name, partitions: got.map((g) => g.partition).sort((a, b) => a - b), members: members.length });
        this.shared = true;
        await this.drainUnpartitioned();
        return got.length < plan.acquire.length;
      }
      this.shared = true;
      await this.drainUnpartitioned();
      return false;
    } catch (e) {
      this.o.log.warn({ msg: 'partition lease round failed', event: 'partition-round-failed', queue: name, error: (e as Error).message });
      // Unable to renew: before the leases can expire, stop taking new deliveries, so the replica
      // that takes the partitions over is not kept waiting behind this one's subscription.
      if (this.consuming.size && Date.now() - this.lastRenewedAt > leaseMs * 0.8) {
        const partitions = [...this.consuming];
        this.consuming.clear();
        for (const p of partitions) void this.o.consumer.removeSource(this.partitionQueue(p));
        this.o.log.warn({ msg: 'partition leases not renewed in time; stopped consuming', event: 'partitions-fenced', queue: name, partitions });
      }
      return false;
    }
  }

  private async startConsuming(p: number): Promise<void> {
    this.consuming.add(p);
    await this.o.consumer.addSource(this.partitionQueue(p));
  }

  private async stopConsuming(p: number): Promise<void> {
    this.consuming.delete(p);
    await this.o.consumer.removeSource(this.partitionQueue(p));
  }

  /** The partitions this replica consumes now. */
  partitions(): number[] {
    return [...this.consuming].sort((a, b) => a - b);
  }

  /**
   * Consumes the unpartitioned queue an older deployment left while it holds messages (unbinding it
   * first, so nothing new arrives), and deletes it once empty with no consumer left. Looked for
   * again now and then: an older replica still running re-declares and re-binds it on a reconnect.
   */
  private async drainUnpartitioned(): Promise<void> {
    const u = this.unpartitioned;
    if (Date.now() < u.nextCheckAt || !this.o.connection.isConnected()) return;
    const topology = this.o.connection.topology;
    const open = () => this.o.connection.createChannel();
    const info = await topology.queueExists(open, this.legacyQueue);
    if (!info) {
      if (u.taken) await this.o.consumer.removeSource(this.legacyQueue);
      this.unpartitioned = { taken: false, nextCheckAt: Date.now() + UNPARTITIONED_RECHECK_MS };
      return;
    }
    u.nextCheckAt = Date.now() + this.intervalMs * 5;
    await topology.retireUnpartitioned(open, this.o.queue);
    if (info.messageCount > 0) {
      if (!u.taken) {
        this.o.log.info({ msg: 'draining the unpartitioned queue', event: 'unpartitioned-draining', queue: this.legacyQueue, messages: info.messageCount });
        await this.o.consumer.addSource(this.legacyQueue);
        u.taken = true;
      }
      return;
    }
    if (u.taken) {
      await this.o.consumer.removeSource(this.legacyQueue);
      u.taken = false;
    }
    const again = await topology.queueExists(open, this.legacyQueue);
    if (!again || again.messageCount > 0 || again.consumerCount > 0) return;
    try {
      await topology.deleteQueue(open, this.legacyQueue);
      this.o.log.info({ msg: 'unpartitioned queue drained and deleted', event: 'unpartitioned-deleted', queue: this.legacyQueue });
      this.unpartitioned = { taken: false, nextCheckAt: Date.now() + UNPARTITIONED_RECHECK_MS };
    } catch (e) {
      this.o.log.info({ msg: 'unpartitioned queue not deleted yet', queue: this.legacyQueue, error: (e as Error).message });
    }
  }

  /**
   * Stops taking every partition, lets their in-flight batches finish, then frees the leases and
   * the membership so the other replicas take the share at once instead of after `leaseMs`.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    const partitions = [...this.consuming];
    for (const p of partitions) await this.stopConsuming(p);
    if (this.unpartitioned.taken) await this.o.consumer.removeSource(this.legacyQueue);
    const { dataSource: db, schema: S } = this.o;
    try {
      await db.query(`UPDATE "${S}"."partition_lease" SET "owner" = NULL, "expires_at" = now() WHERE "queue" = $1 AND "owner" = $2`, [this.o.queue.name, this.member]);
      await db.query(`DELETE FROM "${S}"."partition_member" WHERE "queue" = $1 AND "member" = $2`, [this.o.queue.name, this.member]);
      this.o.log.info({ msg: 'partitions handed over at stop', event: 'partitions-released', queue: this.o.queue.name, partitions });
    } catch (e) {
      this.o.log.warn({ msg: 'could not free partition leases at stop; they expire', queue: this.o.queue.name, error: (e as Error).message });
    }
  }
}
