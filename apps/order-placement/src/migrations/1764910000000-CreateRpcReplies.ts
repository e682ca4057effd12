import { MigrationInterface, QueryRunner } from 'typeorm';
import { createRpcReplyTable, dropRpcReplyTable } from '@asyncops/messaging';

/** Stored answers of request/reply calls, so a redelivered request is answered, not run again. */
export class CreateRpcReplies1764910000000 implements MigrationInterface {
  name = 'CreateRpcReplies1764910000000';

  async up(q: QueryRunner): Promise<void> {
    await createRpcReplyTable(q, 'order_placement');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropRpcReplyTable(q, 'order_placement');
  }
}
