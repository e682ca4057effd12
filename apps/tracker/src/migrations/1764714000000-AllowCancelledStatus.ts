import { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'tracker';

/** `Cancelled`: the end of an operation whose producer stopped because its client asked it to. */
export class AllowCancelledStatus1764714000000 implements MigrationInterface {
  name = 'AllowCancelledStatus1764714000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "${S}"."async_operation" DROP CONSTRAINT IF EXISTS "async_operation_status_check"`);
    await q.query(
      `ALTER TABLE "${S}"."async_operation" ADD CONSTRAINT "async_operation_status_check" CHECK ("status" IN ('Submitted','InProgress','Completed','CompletedWithFailures','Failure','Cancelled'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "${S}"."async_operation" SET "status" = 'Failure' WHERE "status" = 'Cancelled'`);
    await q.query(`ALTER TABLE "${S}"."async_operation" DROP CONSTRAINT IF EXISTS "async_operation_status_check"`);
    await q.query(
      `ALTER TABLE "${S}"."async_operation" ADD CONSTRAINT "async_operation_status_check" CHECK ("status" IN ('Submitted','InProgress','Completed','CompletedWithFailures','Failure'))`,
    );
  }
}
