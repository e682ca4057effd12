import { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'tracker';

/**
 * `Cancelled`: the end of an operation whose producer stopped because its client asked it to. The
 * Salesforce surface reads it as `Failure`, so SOQL filters on that expression; an index on it keeps
 * `Status = …` queries as fast as they were on the plain column.
 */
export class AllowCancelledStatus1764714000000 implements MigrationInterface {
  name = 'AllowCancelledStatus1764714000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "${S}"."async_operation" DROP CONSTRAINT IF EXISTS "async_operation_status_check"`);
    await q.query(
      `ALTER TABLE "${S}"."async_operation" ADD CONSTRAINT "async_operation_status_check" CHECK ("status" IN ('Submitted','InProgress','Completed','CompletedWithFailures','Failure','Cancelled'))`,
    );
    await q.query(
      `CREATE INDEX "async_operation_owner_salesforce_status" ON "${S}"."async_operation" ("owner_id", (CASE "status" WHEN 'Cancelled' THEN 'Failure' ELSE "status" END), "async_operation_number" DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS "${S}"."async_operation_owner_salesforce_status"`);
    await q.query(`UPDATE "${S}"."async_operation" SET "status" = 'Failure' WHERE "status" = 'Cancelled'`);
    await q.query(`ALTER TABLE "${S}"."async_operation" DROP CONSTRAINT IF EXISTS "async_operation_status_check"`);
    await q.query(
      `ALTER TABLE "${S}"."async_operation" ADD CONSTRAINT "async_operation_status_check" CHECK ("status" IN ('Submitted','InProgress','Completed','CompletedWithFailures','Failure'))`,
    );
  }
}
