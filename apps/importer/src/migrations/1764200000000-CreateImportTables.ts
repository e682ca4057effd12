import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The resources the importer owns (one row per owner and natural key, so an import can never
 * create a duplicate) and the bookkeeping of imports: stored uploads, one row per async action
 * with its resume cursor, and the failed rows its report is built from.
 */
export class CreateImportTables1764200000000 implements MigrationInterface {
  name = 'CreateImportTables1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "importer"."upload" (
      "id" uuid PRIMARY KEY,
      "owner_id" varchar(255) NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
    // start_offset lets a batch fetch only the chunks from its byte cursor on.
    await q.query(`CREATE TABLE "importer"."upload_chunk" (
      "upload_id" uuid NOT NULL REFERENCES "importer"."upload" ("id") ON DELETE CASCADE,
      "seq" integer NOT NULL,
      "start_offset" bigint,
      "data" bytea NOT NULL,
      PRIMARY KEY ("upload_id", "seq")
    )`);
    await q.query(`CREATE TABLE "importer"."async_action" (
      "operation_id" uuid PRIMARY KEY,
      "owner_id" varchar(255) NOT NULL,
      "type" varchar(64) NOT NULL,
      "upload_id" uuid REFERENCES "importer"."upload" ("id") ON DELETE SET NULL,
      "campaign_id" varchar(255),
      "request_id" varchar(100),
      "state" varchar(16) NOT NULL DEFAULT 'running',
      "batch_number" integer NOT NULL DEFAULT 0,
      "byte_offset" bigint NOT NULL DEFAULT 0,
      "total_bytes" bigint NOT NULL DEFAULT 0,
      "rows_read" integer NOT NULL DEFAULT 0,
      "done_count" integer NOT NULL DEFAULT 0,
      "failed_count" integer NOT NULL DEFAULT 0,
      "columns" jsonb,
      "last_reported_at" timestamptz,
      "error" text,
      "reports_available_till" timestamptz,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "finished_at" timestamptz
    )`);
    await q.query(`CREATE INDEX "async_action_owner_idx" ON "importer"."async_action" ("owner_id", "created_at")`);
    await q.query(`CREATE TABLE "importer"."import_failure" (
      "operation_id" uuid NOT NULL REFERENCES "importer"."async_action" ("operation_id") ON DELETE CASCADE,
      "row" integer NOT NULL,
      "key" varchar(255),
      "reason" text NOT NULL,
      PRIMARY KEY ("operation_id", "row")
    )`);

    await q.query(`CREATE TABLE "importer"."campaign" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "owner_id" varchar(255) NOT NULL,
      "name" varchar(255) NOT NULL,
      "type" varchar(32) NOT NULL DEFAULT 'DISCOUNT_COUPONS',
      "metadata" jsonb NOT NULL DEFAULT '{}',
      "created_at" timestamptz NOT NULL DEFAULT now(),
      UNIQUE ("owner_id", "name")
    )`);
    await q.query(`CREATE TABLE "importer"."voucher" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "owner_id" varchar(255) NOT NULL,
      "code" varchar(255) NOT NULL,
      "campaign_id" uuid REFERENCES "importer"."campaign" ("id") ON DELETE SET NULL,
      "type" varchar(32) NOT NULL,
      "discount_type" varchar(16),
      "discount_value" numeric(18,4),
      "gift_amount" bigint,
      "category" varchar(255),
      "start_date" timestamptz,
      "expiration_date" timestamptz,
      "redemption_limit" integer,
      "active" boolean NOT NULL DEFAULT true,
      "additional_info" text,
      "metadata" jsonb NOT NULL DEFAULT '{}',
      "import_operation_id" uuid,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      UNIQUE ("owner_id", "code")
    )`);
    await q.query(`CREATE TABLE "importer"."customer" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "owner_id" varchar(255) NOT NULL,
      "source_id" varchar(255) NOT NULL,
      "name" varchar(255),
      "email" varchar(255),
      "phone" varchar(64),
      "address" jsonb,
      "birthdate" date,
      "metadata" jsonb NOT NULL DEFAULT '{}',
      "import_operation_id" uuid,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      UNIQUE ("owner_id", "source_id")
    )`);
    await q.query(`CREATE TABLE "importer"."product" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "owner_id" varchar(255) NOT NULL,
      "source_id" varchar(255) NOT NULL,
      "name" varchar(255),
      "price" bigint,
      "attributes" jsonb NOT NULL DEFAULT '[]',
      "metadata" jsonb NOT NULL DEFAULT '{}',
      "import_operation_id" uuid,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      UNIQUE ("owner_id", "source_id")
    )`);
    await q.query(`CREATE TABLE "importer"."sku" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "owner_id" varchar(255) NOT NULL,
      "source_id" varchar(255) NOT NULL,
      "product_id" uuid NOT NULL REFERENCES "importer"."product" ("id") ON DELETE CASCADE,
      "sku" varchar(255),
      "price" bigint,
      "attributes" jsonb NOT NULL DEFAULT '{}',
      "metadata" jsonb NOT NULL DEFAULT '{}',
      "import_operation_id" uuid,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      UNIQUE ("owner_id", "source_id")
    )`);
    await q.query(`CREATE TABLE "importer"."imported_order" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "owner_id" varchar(255) NOT NULL,
      "source_id" varchar(255) NOT NULL,
      "status" varchar(32),
      "amount" bigint,
      "items" jsonb NOT NULL DEFAULT '[]',
      "customer" jsonb,
      "metadata" jsonb NOT NULL DEFAULT '{}',
      "import_operation_id" uuid,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      UNIQUE ("owner_id", "source_id")
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['imported_order', 'sku', 'product', 'customer', 'voucher', 'campaign', 'import_failure', 'async_action', 'upload_chunk', 'upload']) {
      await q.query(`DROP TABLE IF EXISTS "importer"."${t}"`);
    }
  }
}
