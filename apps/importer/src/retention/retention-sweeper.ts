import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicSweeper } from '@asyncops/platform';
import { IMPORTER_SCHEMA, ImporterConfig } from '../config';

const BATCH = 10_000;
const S = IMPORTER_SCHEMA;

export interface SweepCounts {
  reportRows: number;
  actions: number;
  uploads: number;
}

/**
 * The importer's retention rules, applied on every replica every SWEEP_INTERVAL_MS (all deletes are
 * idempotent, in bounded batches):
 * - failed rows of a finished action go when its report expires (`reports_available_till`);
 * - a finished action row goes ACTION_RETENTION_DAYS after it finished (its failed rows with it);
 * - an upload no running action reads goes UPLOAD_RETENTION_HOURS after it was started (aborted,
 *   refused or never started uploads; a finished import has already deleted its file).
 * Processed message ids are pruned by the messaging module (PROCESSED_MESSAGE_RETENTION_DAYS).
 * Imported resources (vouchers, campaigns, customers, products, SKUs, orders) are the client's data
 * and stay until deleted.
 */
@Injectable()
export class RetentionSweeper extends PeriodicSweeper {

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ImporterConfig) private readonly config: ImporterConfig,
  ) {
    super(config.SWEEP_INTERVAL_MS);
  }

  /** One full pass. */
  async sweep(): Promise<SweepCounts> {
    const counts: SweepCounts = { reportRows: 0, actions: 0, uploads: 0 };
    try {
      counts.reportRows = await this.inBatches(
        `DELETE FROM "${S}"."import_failure" WHERE ctid IN (
           SELECT f.ctid FROM "${S}"."import_failure" f JOIN "${S}"."async_action" a ON a."operation_id" = f."operation_id"
            WHERE a."state" <> 'running' AND a."reports_available_till" < now() LIMIT ${BATCH})`,
      );
      counts.actions = await this.inBatches(
        `DELETE FROM "${S}"."async_action" WHERE "operation_id" IN (
           SELECT "operation_id" FROM "${S}"."async_action"
            WHERE "state" <> 'running' AND "finished_at" < now() - make_interval(days => ${this.config.ACTION_RETENTION_DAYS}) LIMIT 1000)`,
      );
      counts.uploads = await this.inBatches(
        `DELETE FROM "${S}"."upload" WHERE "id" IN (
           SELECT u."id" FROM "${S}"."upload" u
            WHERE u."created_at" < now() - make_interval(hours => ${this.config.UPLOAD_RETENTION_HOURS})
              AND NOT EXISTS (SELECT 1 FROM "${S}"."async_action" a WHERE a."upload_id" = u."id" AND a."state" = 'running')
            LIMIT 100)`,
      );
      if (counts.reportRows || counts.actions || counts.uploads) {
        this.log.log({ msg: 'retention sweep removed expired records', ...counts, event: 'retention-swept' });
      }
    } catch (e) {
      this.log.error({ msg: 'retention sweep failed; the next one retries', error: (e as Error).message });
    }
    return counts;
  }

  private async inBatches(sql: string): Promise<number> {
    let total = 0;
    for (;;) {
      // TypeORM answers a DELETE with [rows, affected].
      const [, affected]: [unknown[], number] = await this.dataSource.query(sql);
      total += affected;
      if (!affected) return total;
    }
  }
}
