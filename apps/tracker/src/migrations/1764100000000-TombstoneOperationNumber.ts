import { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'tracker';

/**
 * Salesforce record ids encode the auto-number, so the deleted-records feed needs it after the
 * record is gone. Tombstones written before this migration have none and are left out of the feed.
 */
export class TombstoneOperationNumber1764100000000 implements MigrationInterface {
  name = 'TombstoneOperationNumber1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "${S}"."deleted_operation" ADD COLUMN "async_operation_number" bigint`);
    await q.query(`CREATE INDEX "deleted_operation_owner_deleted_at" ON "${S}"."deleted_operation" ("owner_id", "deleted_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "${S}"."deleted_operation_owner_deleted_at"`);
    await q.query(`ALTER TABLE "${S}"."deleted_operation" DROP COLUMN "async_operation_number"`);
  }
}
