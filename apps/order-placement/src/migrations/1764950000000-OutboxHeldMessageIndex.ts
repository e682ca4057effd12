import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Held-back outbox rows by message id: a small placement's copies are withdrawn by id once the
 * tracker has recorded them, without reading a backlog of rows due now. Rows sent at once (most of
 * them) are not in the index.
 */
export class OutboxHeldMessageIndex1764950000000 implements MigrationInterface {
  name = 'OutboxHeldMessageIndex1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "outbox_held_message_id" ON "order_placement"."outbox" ("message_id") WHERE "publish_after" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "order_placement"."outbox_held_message_id"`);
  }
}
