import type { QueryRunner } from 'typeorm';
import { createPartitionLeaseTables, dropPartitionLeaseTables, partitionLeaseMigration, createMessagingTables, createRpcReplyTable, dropMessagingTables, dropRpcReplyTable, messagingTablesMigration, outboxPublishAfterMigration, rpcReplyMigration } from './messaging-tables';

/** A query runner that only records the statements it is given. */
function recorder(): { q: QueryRunner; sql: string[] } {
  const sql: string[] = [];
  return { q: { query: async (s: string) => void sql.push(s) } as unknown as QueryRunner, sql };
}

async function statements(run: (q: QueryRunner) => Promise<void>): Promise<string[]> {
  const r = recorder();
  await run(r.q);
  return r.sql;
}

describe('messaging migrations', () => {
  it('creates the schema, then exactly the statements of createMessagingTables, and drops what that created', async () => {
    const M = messagingTablesMigration('CreateMessagingTables1764000000000', 'order_placement');
    const m = new M();
    expect(m.name).toBe('CreateMessagingTables1764000000000');
    const up = await statements((q) => m.up(q));
    expect(up[0]).toBe('CREATE SCHEMA IF NOT EXISTS "order_placement"');
    expect(up.slice(1)).toEqual(await statements((q) => createMessagingTables(q, 'order_placement')));
    expect(up.join('\n')).toContain('CREATE TABLE "order_placement"."outbox"');
    expect(await statements((q) => m.down(q))).toEqual(await statements((q) => dropMessagingTables(q, 'order_placement')));
  });

  it('adds and drops the reply store of the given schema', async () => {
    const M = rpcReplyMigration('CreateRpcReplies1764910000000', 'tracker');
    const m = new M();
    expect(m.name).toBe('CreateRpcReplies1764910000000');
    const up = await statements((q) => m.up(q));
    expect(up).toEqual(await statements((q) => createRpcReplyTable(q, 'tracker')));
    expect(up[1]).toBe('CREATE INDEX "rpc_reply_created_at" ON "tracker"."rpc_reply" ("created_at")');
    expect(await statements((q) => m.down(q))).toEqual(['DROP TABLE "tracker"."rpc_reply"']);
    expect(await statements((q) => m.down(q))).toEqual(await statements((q) => dropRpcReplyTable(q, 'tracker')));
  });

  it("adds and drops the outbox's publish_after of the given schema", async () => {
    const M = outboxPublishAfterMigration('OutboxPublishAfter1764920000000', 'importer');
    const m = new M();
    expect(m.name).toBe('OutboxPublishAfter1764920000000');
    expect(await statements((q) => m.up(q))).toEqual(['ALTER TABLE "importer"."outbox" ADD COLUMN "publish_after" timestamptz']);
    expect(await statements((q) => m.down(q))).toEqual(['ALTER TABLE "importer"."outbox" DROP COLUMN "publish_after"']);
  });

  it('adds and drops the partition lease tables', async () => {
    const M = partitionLeaseMigration('PartitionLeases1764930000000', 'tracker');
    const m = new M();
    expect(m.name).toBe('PartitionLeases1764930000000');
    const up = await statements((q) => m.up(q));
    expect(up).toEqual(await statements((q) => createPartitionLeaseTables(q, 'tracker')));
    expect(up.join('\n')).toContain('CREATE TABLE "tracker"."partition_lease"');
    expect(up.join('\n')).toContain('CREATE TABLE "tracker"."partition_member"');
    expect(await statements((q) => m.down(q))).toEqual(await statements((q) => dropPartitionLeaseTables(q, 'tracker')));
  });
});
