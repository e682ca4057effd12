import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A client's cancel request, recorded on the action; the next batch's transaction reads it and ends
 * the action (`state` 'cancelled') instead of doing its work. Campaigns keep the fields an update
 * sets (category, active, dates) so reading a campaign shows them.
 */
export class CancellationAndCampaignFields1764714100000 implements MigrationInterface {
  name = 'CancellationAndCampaignFields1764714100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "importer"."async_action" ADD COLUMN "cancel_requested_at" timestamptz`);
    await q.query(`ALTER TABLE "importer"."campaign" ADD COLUMN "category" varchar(255), ADD COLUMN "active" boolean NOT NULL DEFAULT true,
      ADD COLUMN "start_date" timestamptz, ADD COLUMN "expiration_date" timestamptz, ADD COLUMN "updated_at" timestamptz`);
    await q.query(`ALTER TABLE "importer"."voucher" ADD COLUMN "updated_at" timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "importer"."voucher" DROP COLUMN "updated_at"`);
    await q.query(`ALTER TABLE "importer"."campaign" DROP COLUMN "category", DROP COLUMN "active", DROP COLUMN "start_date", DROP COLUMN "expiration_date", DROP COLUMN "updated_at"`);
    await q.query(`ALTER TABLE "importer"."async_action" DROP COLUMN "cancel_requested_at"`);
  }
}
