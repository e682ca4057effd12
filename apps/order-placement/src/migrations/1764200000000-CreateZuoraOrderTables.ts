import { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"order_placement"';

/**
 * Zuora-style accounts and the orders the asynchronous Zuora routes create (seed 003). Numbers
 * come from sequences in Zuora's formats (A00000001, O-00000001, A-S00000001, INV00000001,
 * P-00000001); money is numeric, never float. One row per job (operation_id unique) is what
 * makes a retried submit create one job.
 */
export class CreateZuoraOrderTables1764200000000 implements MigrationInterface {
  name = 'CreateZuoraOrderTables1764200000000';

  async up(q: QueryRunner): Promise<void> {
    for (const seq of ['zuora_account_number_seq', 'zuora_order_number_seq', 'zuora_subscription_number_seq', 'zuora_invoice_number_seq', 'zuora_payment_number_seq']) {
      await q.query(`CREATE SEQUENCE ${S}."${seq}"`);
    }
    await q.query(`
      CREATE TABLE ${S}."zuora_account" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "owner_id" varchar(255) NOT NULL,
        "account_number" varchar(50) NOT NULL,
        "name" varchar(255) NOT NULL,
        "currency" char(3) NOT NULL,
        "bill_to" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "uq_zuora_account_number" UNIQUE ("owner_id", "account_number")
      )`);
    await q.query(`
      CREATE TABLE ${S}."zuora_order" (
        "id" uuid PRIMARY KEY,
        "owner_id" varchar(255) NOT NULL,
        "operation_id" uuid NOT NULL UNIQUE,
        "job_type" varchar(20) NOT NULL CHECK ("job_type" IN ('AsyncCreateOrder', 'AsyncPreviewOrder')),
        "status" varchar(16) NOT NULL CHECK ("status" IN ('Pending', 'Completed', 'Failed')),
        "request" jsonb NOT NULL,
        "order_number" varchar(100),
        "account_number" varchar(50),
        "order_date" date NOT NULL,
        "currency" char(3),
        "total" numeric(18,4),
        "result" jsonb,
        "error_code" varchar(20),
        "error" text,
        "request_id" varchar(100),
        "submitted_at" timestamptz NOT NULL DEFAULT now(),
        "finished_at" timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_zuora_order_number" ON ${S}."zuora_order" ("owner_id", "order_number") WHERE "order_number" IS NOT NULL AND "status" = 'Completed'`);
    await q.query(`
      CREATE TABLE ${S}."zuora_subscription" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "owner_id" varchar(255) NOT NULL,
        "order_id" uuid NOT NULL REFERENCES ${S}."zuora_order" ("id") ON DELETE CASCADE,
        "subscription_number" varchar(100) NOT NULL,
        "account_number" varchar(50) NOT NULL,
        "status" varchar(20) NOT NULL,
        "term_type" varchar(10) NOT NULL,
        "term_months" integer,
        "start_date" date NOT NULL,
        "amount" numeric(18,4) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "uq_zuora_subscription_number" UNIQUE ("owner_id", "subscription_number")
      )`);
    await q.query(`
      CREATE TABLE ${S}."zuora_rate_plan" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "subscription_id" uuid NOT NULL REFERENCES ${S}."zuora_subscription" ("id") ON DELETE CASCADE,
        "product_id" uuid NOT NULL,
        "sku" varchar(64) NOT NULL,
        "quantity" integer NOT NULL,
        "unit_price" numeric(18,4) NOT NULL,
        "amount" numeric(18,4) NOT NULL,
        "position" integer NOT NULL
      )`);
    await q.query(`
      CREATE TABLE ${S}."zuora_invoice" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "order_id" uuid NOT NULL UNIQUE REFERENCES ${S}."zuora_order" ("id") ON DELETE CASCADE,
        "invoice_number" varchar(32) NOT NULL UNIQUE,
        "amount" numeric(18,4) NOT NULL,
        "balance" numeric(18,4) NOT NULL,
        "currency" char(3) NOT NULL,
        "invoice_date" date NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ${S}."zuora_payment" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "order_id" uuid NOT NULL UNIQUE REFERENCES ${S}."zuora_order" ("id") ON DELETE CASCADE,
        "invoice_id" uuid NOT NULL REFERENCES ${S}."zuora_invoice" ("id") ON DELETE CASCADE,
        "payment_number" varchar(32) NOT NULL UNIQUE,
        "amount" numeric(18,4) NOT NULL,
        "currency" char(3) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['zuora_payment', 'zuora_invoice', 'zuora_rate_plan', 'zuora_subscription', 'zuora_order', 'zuora_account']) {
      await q.query(`DROP TABLE IF EXISTS ${S}."${t}"`);
    }
    for (const seq of ['zuora_account_number_seq', 'zuora_order_number_seq', 'zuora_subscription_number_seq', 'zuora_invoice_number_seq', 'zuora_payment_number_seq']) {
      await q.query(`DROP SEQUENCE IF EXISTS ${S}."${seq}"`);
    }
  }
}
