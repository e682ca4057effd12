import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A client's cancel request, recorded on the action; the next batch's transaction reads it and ends
 * the action (`state` 'cancelled') instead of doing its work.
 */
export class AddActionCancellation1764714100000 implements MigrationInterface {
  name = 'AddActionCancellation1764714100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "importer"."async_action" ADD COLUMN "cancel_requested_at" timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "importer"."async_action" DROP COLUMN "cancel_requested_at"`);
  }
}
