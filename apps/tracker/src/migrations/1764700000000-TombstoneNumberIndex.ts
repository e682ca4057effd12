import { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'tracker';

/** Retrieve and delete answer ENTITY_IS_DELETED for a deleted id: tombstones are looked up by owner and auto-number. */
export class TombstoneNumberIndex1764700000000 implements MigrationInterface {
  name = 'TombstoneNumberIndex1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "deleted_operation_owner_number" ON "${S}"."deleted_operation" ("owner_id", "async_operation_number")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "${S}"."deleted_operation_owner_number"`);
  }
}
