import { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@asyncops/messaging';

export class CreateMessagingTables1764000000000 implements MigrationInterface {
  name = 'CreateMessagingTables1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE SCHEMA IF NOT EXISTS "order_placement"');
    await createMessagingTables(q, 'order_placement');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'order_placement');
  }
}
