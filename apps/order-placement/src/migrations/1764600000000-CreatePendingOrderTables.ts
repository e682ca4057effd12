import { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"order_placement"';

/** Units of each currency per 1 USD (the corporate currency), as Salesforce's conversion rates are kept; convertCurrency() divides by them. */
export const SEED_CONVERSION_RATES: ReadonlyArray<[string, string]> = [
  ['USD', '1.000000'],
  ['EUR', '0.920000'],
  ['GBP', '0.790000'],
  ['DKK', '6.860000'],
];

/**
 * High-scale order ingestion (seed 002): pending order summaries, the order summaries they turn
 * into, and the shopper accounts and contacts conversion resolves. Numbers are auto-numbers the
 * gateway encodes as 18-character record ids. Uniqueness is enforced by indexes, not by reads,
 * so concurrent submits and redelivered conversions can never write a second row.
 */
export class CreatePendingOrderTables1764600000000 implements MigrationInterface {
  name = 'CreatePendingOrderTables1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${S}."shopper_account" (
        "number" bigserial PRIMARY KEY,
        "owner_id" text NOT NULL,
        "match_key" text NOT NULL,
        "name" text NOT NULL,
        "email" text NOT NULL,
        "phone" text,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_shopper_account_match" ON ${S}."shopper_account" ("owner_id", "match_key")`);
    await q.query(`
      CREATE TABLE ${S}."shopper_contact" (
        "number" bigserial PRIMARY KEY,
        "account_number" bigint NOT NULL REFERENCES ${S}."shopper_account" ("number"),
        "name" text NOT NULL,
        "email" text NOT NULL,
        "phone" text,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_shopper_contact_account" ON ${S}."shopper_contact" ("account_number")`);
    await q.query(`
      CREATE TABLE ${S}."pending_order_summary" (
        "number" bigserial PRIMARY KEY,
        "owner_id" text NOT NULL,
        "external_reference_identifier" text NOT NULL,
        "order_number" text NOT NULL,
        "ordered_date" timestamptz NOT NULL,
        "shopper_name" text NOT NULL,
        "billing_email_address" text NOT NULL,
        "billing_phone_number" text,
        "currency_iso_code" text NOT NULL DEFAULT 'USD' CHECK ("currency_iso_code" IN ('DKK', 'EUR', 'GBP', 'USD')),
        "grand_total_amount" numeric(18, 2) NOT NULL,
        "description" text,
        "payload" text NOT NULL,
        "payload_type" text NOT NULL CHECK ("payload_type" IN ('JSON_RAW', 'JSON_GZIP')),
        "processing_instructions" text,
        "sales_channel_id" text,
        "sales_store_id" text,
        "account_number" bigint REFERENCES ${S}."shopper_account" ("number"),
        "bill_to_contact_number" bigint REFERENCES ${S}."shopper_contact" ("number"),
        "attempts" int NOT NULL DEFAULT 0,
        "last_error_code" text,
        "last_error_message" text,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    // Case-sensitive on purpose: text equality in PostgreSQL is, and the seed says 'a' and 'A' differ.
    await q.query(`CREATE UNIQUE INDEX "uq_pending_order_summary_ref" ON ${S}."pending_order_summary" ("owner_id", "external_reference_identifier")`);
    await q.query(`CREATE INDEX "ix_pending_order_summary_account" ON ${S}."pending_order_summary" ("owner_id", "account_number")`);
    await q.query(`
      CREATE TABLE ${S}."order_summary" (
        "number" bigserial PRIMARY KEY,
        "owner_id" text NOT NULL,
        "external_reference_identifier" text NOT NULL,
        "order_number" text NOT NULL,
        "ordered_date" timestamptz NOT NULL,
        "account_number" bigint NOT NULL REFERENCES ${S}."shopper_account" ("number"),
        "bill_to_contact_number" bigint NOT NULL REFERENCES ${S}."shopper_contact" ("number"),
        "currency_iso_code" text NOT NULL,
        "grand_total_amount" numeric(18, 2) NOT NULL,
        "total_product_amount" numeric(18, 2) NOT NULL,
        "sales_channel_id" text,
        "sales_store_id" text,
        "pending_order_summary_number" bigint NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_order_summary_ref" ON ${S}."order_summary" ("owner_id", "external_reference_identifier")`);
    await q.query(`
      CREATE TABLE ${S}."order_item_summary" (
        "order_summary_number" bigint NOT NULL REFERENCES ${S}."order_summary" ("number") ON DELETE CASCADE,
        "line" int NOT NULL,
        "sku" text NOT NULL,
        "description" text,
        "quantity" numeric(18, 4) NOT NULL,
        "unit_price" numeric(18, 2) NOT NULL,
        "total_price" numeric(18, 2) NOT NULL,
        PRIMARY KEY ("order_summary_number", "line")
      )`);
    await q.query(`CREATE TABLE ${S}."currency_rate" ("iso_code" text PRIMARY KEY, "conversion_rate" numeric(18, 6) NOT NULL CHECK ("conversion_rate" > 0))`);
    for (const [code, rate] of SEED_CONVERSION_RATES) await q.query(`INSERT INTO ${S}."currency_rate" ("iso_code", "conversion_rate") VALUES ($1, $2)`, [code, rate]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['currency_rate', 'order_item_summary', 'order_summary', 'pending_order_summary', 'shopper_contact', 'shopper_account']) await q.query(`DROP TABLE ${S}."${t}"`);
  }
}
