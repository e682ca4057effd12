import { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"order_placement"';

const FOREIGN_KEYS: ReadonlyArray<{ table: string; name: string; definition: string }> = [
  { table: 'order_item_summary', name: 'order_item_summary_order_summary_number_fkey', definition: `FOREIGN KEY ("order_summary_number") REFERENCES ${S}."order_summary" ("number") ON DELETE CASCADE` },
  { table: 'order_summary', name: 'order_summary_account_number_fkey', definition: `FOREIGN KEY ("account_number") REFERENCES ${S}."shopper_account" ("number")` },
  { table: 'order_summary', name: 'order_summary_bill_to_contact_number_fkey', definition: `FOREIGN KEY ("bill_to_contact_number") REFERENCES ${S}."shopper_contact" ("number")` },
];

/**
 * Order summaries and their lines are written by one statement of the conversion transaction: the
 * lines joined to the summaries it has just inserted, each summary with the account and contact
 * that transaction upserted and read back. Nothing deletes summaries, accounts or contacts. These
 * foreign keys could never refuse a row, yet their checks (an index probe and a key-share lock on
 * the referenced row, per row) cost PostgreSQL more than inserting the lines themselves: 120,000
 * checks per 10,000 10-line orders converted. The primary keys still serve every read.
 */
export class OrderSummaryWithoutForeignKeys1764935000000 implements MigrationInterface {
  name = 'OrderSummaryWithoutForeignKeys1764935000000';

  async up(q: QueryRunner): Promise<void> {
    for (const fk of FOREIGN_KEYS) await q.query(`ALTER TABLE ${S}."${fk.table}" DROP CONSTRAINT "${fk.name}"`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fk of FOREIGN_KEYS) await q.query(`ALTER TABLE ${S}."${fk.table}" ADD CONSTRAINT "${fk.name}" ${fk.definition}`);
  }
}
