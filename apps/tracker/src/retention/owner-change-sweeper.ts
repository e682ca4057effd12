import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicSweeper } from '@asyncops/platform';
import { TRACKER_SCHEMA, TrackerConfig } from '../config';
import { ChangeHorizon } from './change-horizon';

const S = TRACKER_SCHEMA;

/** The longest a gateway keeps a SOQL answer (its SOQL_CACHE_MAX_AGE_MS at most), with a margin. */
export const SAFE_OWNER_CHANGE_RETENTION_MS = 310_000;

/**
 * Deletes `owner_change` rows (written by the triggers on `async_operation`, read by the gateways'
 * SOQL page cache) that no cached page can still need (see ChangeHorizon). Several replicas may
 * sweep at once: each deletes below a horizon it observed itself.
 */
@Injectable()
export class OwnerChangeSweeper extends PeriodicSweeper {
  private readonly horizon: ChangeHorizon;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(TrackerConfig) config: TrackerConfig,
  ) {
    super(config.SWEEP_INTERVAL_MS);
    this.horizon = new ChangeHorizon(config.OWNER_CHANGE_RETENTION_MS);
    if (config.OWNER_CHANGE_RETENTION_MS < SAFE_OWNER_CHANGE_RETENTION_MS) {
      // Allowed (tests prune quickly), but only safe with gateways that keep SOQL answers for less.
      this.log.warn({
        msg: `OWNER_CHANGE_RETENTION_MS is ${config.OWNER_CHANGE_RETENTION_MS}: a gateway keeping SOQL answers longer (SOQL_CACHE_MAX_AGE_MS, up to 300000) could give a stale one; set it to at least ${SAFE_OWNER_CHANGE_RETENTION_MS}`,
        event: 'owner-change-retention-short',
      });
    }
  }

  /** One pass; returns the number of rows deleted. */
  async sweep(): Promise<number> {
    try {
      const [{ xmin }]: Array<{ xmin: string }> = await this.dataSource.query('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS "xmin"');
      const below = this.horizon.observe(xmin);
      if (below === undefined) return 0;
      const [, count]: [unknown, number] = await this.dataSource.query(`DELETE FROM "${S}"."owner_change" WHERE "xid" < $1::xid8`, [below]);
      return count;
    } catch (e) {
      this.log.error({ msg: 'owner-change sweep failed', error: (e as Error).message });
      return 0;
    }
  }
}
