import { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"order_placement"';

/**
 * Products, carts and orders with the tables the final placement steps write (seed 004).
 * Money is numeric(18,4), never float. The unique (order_id, cart_item_id) key is what makes a
 * redelivered batch unable to insert an order item twice.
 */
export class CreateCommerceTables1764100000000 implements MigrationInterface {
  name = 'CreateCommerceTables1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${S}."product" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "owner_id" varchar(255) NOT NULL,
        "sku" varchar(64) NOT NULL,
        "name" varchar(255) NOT NULL,
        "active" boolean NOT NULL DEFAULT true,
        "unit_price" numeric(18,4),
        "subscription_months" integer,
        "price_book_updated_at" timestamptz NOT NULL DEFAULT now(),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "uq_product_owner_sku" UNIQUE ("owner_id", "sku")
      )`);
    await q.query(`
      CREATE TABLE ${S}."cart" (
        "id" uuid PRIMARY KEY,
        "owner_id" varchar(255) NOT NULL,
        "currency" char(3) NOT NULL,
        "status" varchar(16) NOT NULL CHECK ("status" IN ('Open', 'Placing', 'Closed')),
        "prices_as_of" timestamptz NOT NULL DEFAULT now(),
        "payment_method" varchar(80),
        "payment_term_days" integer,
        "next_position" integer NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "closed_at" timestamptz
      )`);
    await q.query(`CREATE INDEX "ix_cart_owner" ON ${S}."cart" ("owner_id")`);
    await q.query(`
      CREATE TABLE ${S}."cart_item" (
        "id" uuid PRIMARY KEY,
        "cart_id" uuid NOT NULL REFERENCES ${S}."cart" ("id") ON DELETE CASCADE,
        "kind" varchar(8) NOT NULL CHECK ("kind" IN ('major', 'minor', 'coupon')),
        "parent_id" uuid REFERENCES ${S}."cart_item" ("id") ON DELETE CASCADE,
        "product_id" uuid NOT NULL REFERENCES ${S}."product" ("id"),
        "sku" varchar(64) NOT NULL,
        "quantity" integer NOT NULL,
        "unit_price" numeric(18,4),
        "position" integer NOT NULL,
        "sub_position" integer NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CHECK (("kind" = 'minor') = ("parent_id" IS NOT NULL))
      )`);
    // Batches walk the major items and coupons of a cart by position.
    await q.query(`CREATE UNIQUE INDEX "uq_cart_item_position" ON ${S}."cart_item" ("cart_id", "position") WHERE "parent_id" IS NULL`);
    await q.query(`CREATE INDEX "ix_cart_item_parent" ON ${S}."cart_item" ("parent_id") WHERE "parent_id" IS NOT NULL`);
    await q.query(`
      CREATE TABLE ${S}."orders" (
        "id" uuid PRIMARY KEY,
        "owner_id" varchar(255) NOT NULL,
        "cart_id" uuid NOT NULL REFERENCES ${S}."cart" ("id"),
        "operation_id" uuid NOT NULL UNIQUE,
        "status" varchar(16) NOT NULL CHECK ("status" IN ('Submitted', 'InProgress', 'Placed', 'Failed')),
        "currency" char(3) NOT NULL,
        "allow_repricing" boolean NOT NULL DEFAULT false,
        "subtotal" numeric(18,4) NOT NULL DEFAULT 0,
        "discount" numeric(18,4) NOT NULL DEFAULT 0,
        "total" numeric(18,4) NOT NULL DEFAULT 0,
        "total_job_items" integer NOT NULL,
        "items_placed" integer NOT NULL DEFAULT 0,
        "placement_cursor" integer NOT NULL DEFAULT -1,
        "batch_number" integer NOT NULL DEFAULT 0,
        "error_code" varchar(120),
        "error" text,
        "request_id" varchar(100),
        "submitted_at" timestamptz NOT NULL DEFAULT now(),
        "placed_at" timestamptz,
        "last_reported_at" timestamptz,
        "failed_at" timestamptz,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    // At most one placement in flight per cart.
    await q.query(`CREATE UNIQUE INDEX "uq_orders_cart_active" ON ${S}."orders" ("cart_id") WHERE "status" IN ('Submitted', 'InProgress', 'Placed')`);
    await q.query(`
      CREATE TABLE ${S}."order_item" (
        "id" uuid PRIMARY KEY,
        "order_id" uuid NOT NULL REFERENCES ${S}."orders" ("id") ON DELETE CASCADE,
        "cart_item_id" uuid NOT NULL,
        "kind" varchar(8) NOT NULL CHECK ("kind" IN ('major', 'minor', 'coupon')),
        "parent_order_item_id" uuid REFERENCES ${S}."order_item" ("id") ON DELETE CASCADE,
        "product_id" uuid NOT NULL,
        "sku" varchar(64) NOT NULL,
        "position" integer NOT NULL,
        "sub_position" integer NOT NULL DEFAULT 0,
        "quantity" integer NOT NULL,
        "unit_price" numeric(18,4) NOT NULL,
        "line_total" numeric(18,4) NOT NULL,
        "repriced" boolean NOT NULL DEFAULT false,
        "batch" integer NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "uq_order_item_cart_item" UNIQUE ("order_id", "cart_item_id")
      )`);
    await q.query(`CREATE INDEX "ix_order_item_order_position" ON ${S}."order_item" ("order_id", "position", "sub_position")`);
    await q.query(`
      CREATE TABLE ${S}."order_term" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "order_id" uuid NOT NULL UNIQUE REFERENCES ${S}."orders" ("id") ON DELETE CASCADE,
        "name" varchar(80) NOT NULL,
        "payment_term_days" integer NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ${S}."stored_payment" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "owner_id" varchar(255) NOT NULL,
        "order_id" uuid NOT NULL UNIQUE REFERENCES ${S}."orders" ("id") ON DELETE CASCADE,
        "payment_method" varchar(80) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ${S}."subscription" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "order_id" uuid NOT NULL REFERENCES ${S}."orders" ("id") ON DELETE CASCADE,
        "order_item_id" uuid NOT NULL UNIQUE REFERENCES ${S}."order_item" ("id") ON DELETE CASCADE,
        "product_id" uuid NOT NULL,
        "quantity" integer NOT NULL,
        "term_months" integer NOT NULL,
        "amount" numeric(18,4) NOT NULL,
        "starts_at" timestamptz NOT NULL,
        "ends_at" timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE ${S}."payment_transaction" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "order_id" uuid NOT NULL REFERENCES ${S}."orders" ("id") ON DELETE CASCADE,
        "kind" varchar(20) NOT NULL,
        "status" varchar(20) NOT NULL,
        "amount" numeric(18,4) NOT NULL,
        "currency" char(3) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "uq_payment_transaction_order_kind" UNIQUE ("order_id", "kind")
      )`);
    await q.query(`
      CREATE TABLE ${S}."invoice" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "invoice_number" bigserial NOT NULL UNIQUE,
        "order_id" uuid NOT NULL UNIQUE REFERENCES ${S}."orders" ("id") ON DELETE CASCADE,
        "status" varchar(20) NOT NULL,
        "amount" numeric(18,4) NOT NULL,
        "currency" char(3) NOT NULL,
        "due_date" date NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['invoice', 'payment_transaction', 'subscription', 'stored_payment', 'order_term', 'order_item', 'orders', 'cart_item', 'cart', 'product']) {
      await q.query(`DROP TABLE IF EXISTS ${S}."${t}"`);
    }
  }
}
