import { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"order_placement"';

/**
 * An order summary's lines are written by the statement that creates the summary, joined to the
 * rows it just inserted, and summaries are never deleted: the foreign key from each line to its
 * summary could never refuse a row, yet its check (an index probe and a key-share lock on the
 * summary) cost PostgreSQL more than inserting the line itself — 100,000 checks per 10,000 10-line
 * orders converted. The primary key ("order_summary_number", "line") still serves every read.
 */
export class OrderItemSummaryWithoutForeignKey1764935000000 implements MigrationInterface {
  name = 'OrderItemSummaryWithoutForeignKey1764935000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${S}."order_item_summary" DROP CONSTRAINT "order_item_summary_order_summary_number_fkey"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE ${S}."order_item_summary" ADD CONSTRAINT "order_item_summary_order_summary_number_fkey"
         FOREIGN KEY ("order_summary_number") REFERENCES ${S}."order_summary" ("number") ON DELETE CASCADE`,
    );
  }
}
