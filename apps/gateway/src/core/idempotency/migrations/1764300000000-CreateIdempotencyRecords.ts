import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request bookkeeping, not business data: one row per (client, Idempotency-Key). The primary
 * key is what makes concurrent retries on several gateway replicas agree on a single winner.
 */
export class CreateIdempotencyRecords1764300000000 implements MigrationInterface {
  name = 'CreateIdempotencyRecords1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "gateway"."idempotency_record" (
        "client_id" varchar(80) NOT NULL,
        "idempotency_key" varchar(255) NOT NULL,
        "request_hash" char(64) NOT NULL,
        "state" varchar(10) NOT NULL CHECK ("state" IN ('running', 'completed', 'failed')),
        "execution_id" uuid NOT NULL,
        "response_status" integer,
        "response_body" jsonb,
        "locked_until" timestamptz NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "completed_at" timestamptz,
        "expires_at" timestamptz NOT NULL,
        PRIMARY KEY ("client_id", "idempotency_key")
      )`);
    await q.query(`CREATE INDEX "ix_idempotency_record_expires_at" ON "gateway"."idempotency_record" ("expires_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS "gateway"."idempotency_record"`);
  }
}
