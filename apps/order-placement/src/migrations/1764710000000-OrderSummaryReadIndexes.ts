import { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"order_placement"';

/**
 * OrderSummary reads: the native list pages an owner's summaries by number; SOQL filters by
 * account; a converted PendingOrderSummary id leads to its summary.
 */
export class OrderSummaryReadIndexes1764710000000 implements MigrationInterface {
  name = 'OrderSummaryReadIndexes1764710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_order_summary_owner_number" ON ${S}."order_summary" ("owner_id", "number")`);
    await q.query(`CREATE INDEX "ix_order_summary_owner_account" ON ${S}."order_summary" ("owner_id", "account_number")`);
    await q.query(`CREATE INDEX "ix_order_summary_owner_pending" ON ${S}."order_summary" ("owner_id", "pending_order_summary_number")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ${S}."ix_order_summary_owner_pending"`);
    await q.query(`DROP INDEX ${S}."ix_order_summary_owner_account"`);
    await q.query(`DROP INDEX ${S}."ix_order_summary_owner_number"`);
  }
}
