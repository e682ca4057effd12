import { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"order_placement"';

/** Rates by ship-to country and region; region '' is the country-wide rate. */
export const SEED_TAX_RATES: ReadonlyArray<[string, string, string]> = [
  ['US', '', '0.000000'],
  ['US', 'CA', '0.072500'],
  ['US', 'NY', '0.040000'],
  ['US', 'TX', '0.062500'],
  ['US', 'WA', '0.065000'],
  ['CA', '', '0.050000'],
  ['CA', 'ON', '0.130000'],
  ['CA', 'QC', '0.149750'],
  ['DE', '', '0.190000'],
  ['FR', '', '0.200000'],
  ['GB', '', '0.200000'],
  ['NL', '', '0.210000'],
  ['JP', '', '0.100000'],
  ['AU', '', '0.100000'],
];

/**
 * Revenue Cloud sales orders and quotes with their lines (seed 000's PlaceOrder / PlaceQuote),
 * and the tax rate table. Both kinds have the same shape, so one code path serves them; they are
 * separate tables because they are separate records (an Order is not a Quote). Money is numeric.
 * `record_number` is the auto-number the record's Salesforce id encodes (key prefix 801 / 0Q0).
 */
export class CreateSalesTransactionTables1764300000000 implements MigrationInterface {
  name = 'CreateSalesTransactionTables1764300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [header, line] of [
      ['sales_order', 'sales_order_line'],
      ['quote', 'quote_line'],
    ]) {
      await q.query(`
        CREATE TABLE ${S}."${header}" (
          "id" uuid PRIMARY KEY,
          "record_number" bigserial NOT NULL UNIQUE,
          "owner_id" varchar(255) NOT NULL,
          "operation_id" uuid NOT NULL UNIQUE,
          "price_operation_id" uuid NOT NULL,
          "tax_operation_id" uuid NOT NULL,
          "status" varchar(10) NOT NULL CHECK ("status" IN ('Draft', 'Priced', 'Taxed', 'Placed', 'Failed')),
          "currency" char(3) NOT NULL,
          "ship_to_country" char(2) NOT NULL,
          "ship_to_region" varchar(3),
          "pricing_pref" varchar(10) NOT NULL DEFAULT 'System',
          "line_count" integer NOT NULL,
          "subtotal" numeric(18,4),
          "discount" numeric(18,4),
          "tax_rate" numeric(9,6),
          "tax" numeric(18,4),
          "total" numeric(18,4),
          "error_code" varchar(40),
          "error" text,
          "request_id" varchar(100),
          "created_at" timestamptz NOT NULL DEFAULT now(),
          "updated_at" timestamptz NOT NULL DEFAULT now(),
          "placed_at" timestamptz
        )`);
      await q.query(`
        CREATE TABLE ${S}."${line}" (
          "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          "header_id" uuid NOT NULL REFERENCES ${S}."${header}" ("id") ON DELETE CASCADE,
          "line_number" integer NOT NULL,
          "sku" varchar(64) NOT NULL,
          "product_id" uuid,
          "quantity" integer NOT NULL,
          "discount_percent" numeric(7,4),
          "discount_amount" numeric(18,4),
          "list_price" numeric(18,4),
          "list_amount" numeric(18,4),
          "adjustment" numeric(18,4),
          "net_amount" numeric(18,4),
          "tax_amount" numeric(18,4),
          CONSTRAINT "uq_${line}_number" UNIQUE ("header_id", "line_number")
        )`);
    }
    await q.query(`
      CREATE TABLE ${S}."tax_rate" (
        "country" char(2) NOT NULL,
        "region" varchar(3) NOT NULL DEFAULT '',
        "rate" numeric(9,6) NOT NULL CHECK ("rate" >= 0 AND "rate" < 1),
        PRIMARY KEY ("country", "region")
      )`);
    for (const [country, region, rate] of SEED_TAX_RATES) {
      await q.query(`INSERT INTO ${S}."tax_rate" ("country", "region", "rate") VALUES ($1, $2, $3)`, [country, region, rate]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['tax_rate', 'quote_line', 'quote', 'sales_order_line', 'sales_order']) await q.query(`DROP TABLE IF EXISTS ${S}."${t}"`);
  }
}
