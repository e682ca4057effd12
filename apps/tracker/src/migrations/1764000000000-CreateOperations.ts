import { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@asyncops/messaging';

const S = 'tracker';

export class CreateOperations1764000000000 implements MigrationInterface {
  name = 'CreateOperations1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS "${S}"`);
    await q.query(`
      CREATE TABLE "${S}"."async_operation" (
        "id" uuid PRIMARY KEY,
        "async_operation_number" bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        "correlation_identifier" text,
        "job_type" text NOT NULL,
        "step_name" text,
        "step_changed_at" timestamptz,
        "status" text NOT NULL CHECK ("status" IN ('Submitted','InProgress','Completed','CompletedWithFailures','Failure')),
        "submitted_at" timestamptz NOT NULL,
        "started_at" timestamptz,
        "finished_at" timestamptz,
        "expires_at" timestamptz,
        "total_job_items" integer CHECK ("total_job_items" >= 0),
        "successful_job_items" integer NOT NULL DEFAULT 0 CHECK ("successful_job_items" >= 0),
        "failed_job_items" integer NOT NULL DEFAULT 0 CHECK ("failed_job_items" >= 0),
        "counts_final" boolean NOT NULL DEFAULT false,
        "parent_operation_id" uuid,
        "child_count" integer NOT NULL DEFAULT 0,
        "reference_entity_id" text,
        "reference_entity_type" text,
        "owner_id" text NOT NULL,
        "producer" text NOT NULL,
        "request_id" text,
        "message" text,
        "errors" jsonb,
        "result" jsonb,
        "cancel_requested_at" timestamptz,
        "last_viewed_date" timestamptz,
        "last_referenced_date" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "version" integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX "async_operation_owner_number" ON "${S}"."async_operation" ("owner_id", "async_operation_number" DESC)`);
    await q.query(`CREATE INDEX "async_operation_parent" ON "${S}"."async_operation" ("parent_operation_id") WHERE "parent_operation_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "async_operation_correlation" ON "${S}"."async_operation" ("owner_id", "correlation_identifier") WHERE "correlation_identifier" IS NOT NULL`);
    await q.query(`CREATE INDEX "async_operation_owner_status" ON "${S}"."async_operation" ("owner_id", "status", "async_operation_number" DESC)`);
    await q.query(`CREATE INDEX "async_operation_expires" ON "${S}"."async_operation" ("expires_at") WHERE "expires_at" IS NOT NULL`);
    await q.query(`CREATE INDEX "async_operation_updated" ON "${S}"."async_operation" ("owner_id", "updated_at")`);
    await q.query(`
      CREATE TABLE "${S}"."item_failure" (
        "id" bigserial PRIMARY KEY,
        "operation_id" uuid NOT NULL REFERENCES "${S}"."async_operation" ("id") ON DELETE CASCADE,
        "item_key" text,
        "row" integer,
        "reason" text NOT NULL,
        "details" jsonb,
        "recorded_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "item_failure_operation" ON "${S}"."item_failure" ("operation_id", "id")`);
    await q.query(`
      CREATE TABLE "${S}"."deleted_operation" (
        "id" uuid PRIMARY KEY,
        "owner_id" text NOT NULL,
        "deleted_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "deleted_operation_deleted_at" ON "${S}"."deleted_operation" ("deleted_at")`);
    await q.query(`
      CREATE TABLE "${S}"."orphan_event" (
        "id" bigserial PRIMARY KEY,
        "operation_id" uuid NOT NULL,
        "routing_key" text NOT NULL,
        "payload" jsonb NOT NULL,
        "received_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "orphan_event_operation" ON "${S}"."orphan_event" ("operation_id", "id")`);
    await createMessagingTables(q, S);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, S);
    await q.query(`DROP TABLE "${S}"."orphan_event"`);
    await q.query(`DROP TABLE "${S}"."deleted_operation"`);
    await q.query(`DROP TABLE "${S}"."item_failure"`);
    await q.query(`DROP TABLE "${S}"."async_operation"`);
  }
}
