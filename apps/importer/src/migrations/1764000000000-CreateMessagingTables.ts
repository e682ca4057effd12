import { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@asyncops/messaging';

export class CreateMessagingTables1764000000000 implements MigrationInterface {
  name = 'CreateMessagingTables1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE SCHEMA IF NOT EXISTS "importer"');
    await createMessagingTables(q, 'importer');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'importer');
  }
}
