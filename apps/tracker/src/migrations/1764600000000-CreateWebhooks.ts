import { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'tracker';

/** Client webhooks, their deliveries (one per matching change) and every attempt of each. */
export class CreateWebhooks1764600000000 implements MigrationInterface {
  name = 'CreateWebhooks1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "${S}"."webhook" (
        "id" uuid PRIMARY KEY,
        "owner_id" text NOT NULL,
        "url" text NOT NULL,
        "events" text[] NOT NULL,
        "operation_id" uuid,
        "job_type" text,
        "secret" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "secret_rotated_at" timestamptz
      )`);
    await q.query(`CREATE INDEX "webhook_owner" ON "${S}"."webhook" ("owner_id")`);
    // Deleting a webhook drops its queue and log with it: nothing is sent to a URL the client removed.
    await q.query(`
      CREATE TABLE "${S}"."webhook_delivery" (
        "id" uuid PRIMARY KEY,
        "webhook_id" uuid NOT NULL REFERENCES "${S}"."webhook" ("id") ON DELETE CASCADE,
        "owner_id" text NOT NULL,
        "operation_id" uuid NOT NULL,
        "event" text NOT NULL,
        "payload" jsonb NOT NULL,
        "status" text NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending','delivered','dead')),
        "attempts" integer NOT NULL DEFAULT 0,
        "due_at" timestamptz NOT NULL DEFAULT now(),
        "last_response_status" integer,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "delivered_at" timestamptz
      )`);
    await q.query(`CREATE INDEX "webhook_delivery_due" ON "${S}"."webhook_delivery" ("due_at") WHERE "status" = 'pending'`);
    await q.query(`CREATE INDEX "webhook_delivery_operation" ON "${S}"."webhook_delivery" ("operation_id", "created_at")`);
    await q.query(`CREATE INDEX "webhook_delivery_webhook" ON "${S}"."webhook_delivery" ("webhook_id")`);
    await q.query(`
      CREATE TABLE "${S}"."webhook_attempt" (
        "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        "delivery_id" uuid NOT NULL REFERENCES "${S}"."webhook_delivery" ("id") ON DELETE CASCADE,
        "attempt" integer NOT NULL,
        "attempted_at" timestamptz NOT NULL,
        "response_status" integer,
        "error" text,
        "duration_ms" integer NOT NULL
      )`);
    await q.query(`CREATE INDEX "webhook_attempt_delivery" ON "${S}"."webhook_attempt" ("delivery_id", "attempt")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS "${S}"."webhook_attempt"`);
    await q.query(`DROP TABLE IF EXISTS "${S}"."webhook_delivery"`);
    await q.query(`DROP TABLE IF EXISTS "${S}"."webhook"`);
  }
}
