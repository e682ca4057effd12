import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A client's cancel request, recorded on the order; the next batch's transaction reads it and takes
 * the error path (PLACEMENT_CANCELLED) instead of placing more items.
 */
export class AddOrderCancellation1764714200000 implements MigrationInterface {
  name = 'AddOrderCancellation1764714200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "order_placement"."orders" ADD COLUMN "cancel_requested_at" timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "order_placement"."orders" DROP COLUMN "cancel_requested_at"`);
  }
}
