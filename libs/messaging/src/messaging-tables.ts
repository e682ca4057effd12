import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox and the processed-message (inbox) tables every table-owning service keeps in its
 * own schema. Each service's first migration calls these, so the SQL lives in one place.
 */
export async function createMessagingTables(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`
    CREATE TABLE "${schema}"."outbox" (
      "id" bigserial PRIMARY KEY,
      "message_id" uuid NOT NULL,
      "exchange" text NOT NULL,
      "routing_key" text NOT NULL,
      "payload" jsonb NOT NULL,
      "headers" jsonb NOT NULL DEFAULT '{}'::jsonb,
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
  await q.query(`
    CREATE TABLE "${schema}"."processed_message" (
      "consumer" text NOT NULL,
      "message_id" text NOT NULL,
      "processed_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("consumer", "message_id")
    )`);
  await q.query(`CREATE INDEX "processed_message_processed_at" ON "${schema}"."processed_message" ("processed_at")`);
}

export async function dropMessagingTables(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`DROP TABLE "${schema}"."processed_message"`);
  await q.query(`DROP TABLE "${schema}"."outbox"`);
}

/**
 * The reply store: the answer of every request/reply call that changed something, by message
 * id, so a redelivered request (its reply or ack was lost) is answered again without running
 * again. Rows are pruned by the transport after RPC_REPLY_RETENTION_MINUTES.
 */
export async function createRpcReplyTable(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`
    CREATE TABLE "${schema}"."rpc_reply" (
      "message_id" text PRIMARY KEY,
      "reply" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
  await q.query(`CREATE INDEX "rpc_reply_created_at" ON "${schema}"."rpc_reply" ("created_at")`);
}

export async function dropRpcReplyTable(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`DROP TABLE "${schema}"."rpc_reply"`);
}

export type MigrationClass = new () => MigrationInterface;

/**
 * The first migration of a service that starts its schema with the messaging tables. Services name
 * it in their own migration list (`class X extends messagingTablesMigration(...) {}`), so its name and
 * place in their history stay theirs while the statements are written once.
 */
export function messagingTablesMigration(name: string, schema: string): MigrationClass {
  return class implements MigrationInterface {
    name = name;

    async up(q: QueryRunner): Promise<void> {
      await q.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await createMessagingTables(q, schema);
    }

    async down(q: QueryRunner): Promise<void> {
      await dropMessagingTables(q, schema);
    }
  };
}

/** The migration that adds the reply store to a service's schema. */
export function rpcReplyMigration(name: string, schema: string): MigrationClass {
  return class implements MigrationInterface {
    name = name;

    async up(q: QueryRunner): Promise<void> {
      await createRpcReplyTable(q, schema);
    }

    async down(q: QueryRunner): Promise<void> {
      await dropRpcReplyTable(q, schema);
    }
  };
}

/**
 * The outbox's `publish_after`: a row the relay leaves alone until then (NULL: at once). The copy
 * of an `operation.submitted` the caller also records itself is held back, so both copies do not
 * reach the tracker at the same moment and wait on each other's lock.
 */
export function outboxPublishAfterMigration(name: string, schema: string): MigrationClass {
  return class implements MigrationInterface {
    name = name;

    async up(q: QueryRunner): Promise<void> {
      await q.query(`ALTER TABLE "${schema}"."outbox" ADD COLUMN "publish_after" timestamptz`);
    }

    async down(q: QueryRunner): Promise<void> {
      await q.query(`ALTER TABLE "${schema}"."outbox" DROP COLUMN "publish_after"`);
    }
  };
}

/**
 * The tables of partitioned queues (QueueSpec.partitions): each replica's heartbeat, and the lease
 * of each partition (its holder and until when), by logical queue name.
 */
export async function createPartitionLeaseTables(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`
    CREATE TABLE "${schema}"."partition_member" (
      "queue" text NOT NULL,
      "member" text NOT NULL,
      "seen_at" timestamptz NOT NULL,
      PRIMARY KEY ("queue", "member")
    )`);
  await q.query(`
    CREATE TABLE "${schema}"."partition_lease" (
      "queue" text NOT NULL,
      "partition" int NOT NULL,
      "owner" text,
      "expires_at" timestamptz NOT NULL,
      PRIMARY KEY ("queue", "partition")
    )`);
}

export async function dropPartitionLeaseTables(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`DROP TABLE "${schema}"."partition_lease"`);
  await q.query(`DROP TABLE "${schema}"."partition_member"`);
}

/** The migration that adds the partition lease tables to a service's schema. */
export function partitionLeaseMigration(name: string, schema: string): MigrationClass {
  return class implements MigrationInterface {
    name = name;

    async up(q: QueryRunner): Promise<void> {
      await createPartitionLeaseTables(q, schema);
    }

    async down(q: QueryRunner): Promise<void> {
      await dropPartitionLeaseTables(q, schema);
    }
  };
}
