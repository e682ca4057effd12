import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TrackerEvents } from '@asyncops/contracts';
import { OutboxRelay, OutboxWriter } from '@asyncops/messaging';
import { PeriodicSweeper } from '@asyncops/platform';
import { TRACKER_SCHEMA, TrackerConfig } from '../config';

const BATCH = 500;
const S = TRACKER_SCHEMA;

/**
 * Deletes operations past ExpiresAt and keeps a tombstone of each for the deleted-records feed.
 * Rows are claimed with SKIP LOCKED, so several tracker replicas can sweep at once.
 */
@Injectable()
export class ExpirySweeper extends PeriodicSweeper {

  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    @Inject(TrackerConfig) private readonly config: TrackerConfig,
  ) {
    super(config.SWEEP_INTERVAL_MS);
  }

  /** One full pass; returns the number of operations deleted. */
  async sweep(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const n = await this.deleteBatch();
        total += n;
        if (n < BATCH) break;
      }
      await this.dataSource.query(`DELETE FROM "${S}"."deleted_operation" WHERE "deleted_at" < now() - make_interval(days => $1)`, [this.config.TOMBSTONE_RETENTION_DAYS]);
      await this.dataSource.query(`DELETE FROM "${S}"."orphan_event" WHERE "received_at" < now() - make_interval(days => $1)`, [this.config.PROCESSED_MESSAGE_RETENTION_DAYS]);
      if (total) this.log.log({ msg: 'expired operations deleted', count: total, event: 'operations-expired' });
    } catch (e) {
      this.log.error({ msg: 'expiry sweep failed', error: (e as Error).message });
    }
    return total;
  }

  private async deleteBatch(): Promise<number> {
    const deleted = await this.dataSource.transaction(async (m) => {
      const rows: Array<{ id: string; owner_id: string; deleted_at: Date }> = await m.query(
        `WITH doomed AS (
           SELECT "id" FROM "${S}"."async_operation" WHERE "expires_at" <= now()
           ORDER BY "expires_at" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
         ), gone AS (
           DELETE FROM "${S}"."async_operation" o USING doomed d WHERE o."id" = d."id" RETURNING o."id", o."owner_id", o."async_operation_number"
         )
         INSERT INTO "${S}"."deleted_operation" ("id", "owner_id", "async_operation_number", "deleted_at")
         SELECT "id", "owner_id", "async_operation_number", now() FROM gone
         ON CONFLICT ("id") DO UPDATE SET "deleted_at" = EXCLUDED."deleted_at"
         RETURNING "id", "owner_id", "deleted_at"`,
      );
      const outbox = new OutboxWriter(m, S);
      for (const r of rows) {
        await outbox.addEvent(TrackerEvents.OperationDeleted, { operationId: r.id, ownerId: r.owner_id, deletedAt: new Date(r.deleted_at).toISOString() });
      }
      return rows.length;
    });
    if (deleted) this.relay.kick();
    return deleted;
  }
}
