import type { QueryRunner } from 'typeorm';

/**
 * The outbox and the processed-message (inbox) tables every table-owning service keeps in its
 * own schema. Each service's first migration calls these, so the SQL lives in one place.
 */
export async function createMessagingTables(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`
    CREATE TABLE "${schema}"."outbox" (
      "id" bigserial PRIMARY KEY,
      "message_id" uuid NOT NULL,
      "exchange" text NOT NULL,
      "routing_key" text NOT NULL,
      "payload" jsonb NOT NULL,
      "headers" jsonb NOT NULL DEFAULT '{}'::jsonb,
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
  await q.query(`
    CREATE TABLE "${schema}"."processed_message" (
      "consumer" text NOT NULL,
      "message_id" text NOT NULL,
      "processed_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("consumer", "message_id")
    )`);
  await q.query(`CREATE INDEX "processed_message_processed_at" ON "${schema}"."processed_message" ("processed_at")`);
}

export async function dropMessagingTables(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`DROP TABLE "${schema}"."processed_message"`);
  await q.query(`DROP TABLE "${schema}"."outbox"`);
}
