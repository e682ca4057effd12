import type { DataSource } from 'typeorm';
import type { SqlStatement } from '@asyncops/persistence';

/** The `rpc_reply` table of a service's schema (see createRpcReplyTable). */
export class RpcReplyStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
  ) {}

  async find(messageId: string): Promise<string | undefined> {
    const rows: Array<{ reply: string }> = await this.dataSource.query(`SELECT "reply" FROM "${this.schema}"."rpc_reply" WHERE "message_id" = $1`, [messageId]);
    return rows[0]?.reply;
  }

  /**
   * The statement that keeps the reply of a handler that changed something, in its transaction,
   * as that transaction's last (see `IdempotentExecutor.transactionEndingWith`): whether the
   * transaction has written anything (PostgreSQL assigns a transaction id on the first write only;
   * reads need no stored reply), and if so the insert. `outbox`: the handler's outbox rows (see
   * `OutboxWriter.takeInsert`, numbered from $4), written by the same statement; a handler that
   * sends messages has changed something. Another delivery of the same request that saved its
   * reply first makes the insert fail with a unique violation (`isReplyConflict`), which rolls this
   * one back instead of committing it.
   */
  lastStatement(messageId: string, reply: string, outbox?: SqlStatement): SqlStatement {
    // `wrote` is read (and kept: the CTE is used twice) before the insert can assign an id itself.
    return {
      sql: `WITH "w" AS MATERIALIZED (SELECT $3::boolean OR pg_current_xact_id_if_assigned() IS NOT NULL AS "wrote"),${outbox ? `
            "o" AS (${outbox.sql}),` : ''}
            "ins" AS (INSERT INTO "${this.schema}"."rpc_reply" ("message_id", "reply") SELECT $1, $2 FROM "w" WHERE "w"."wrote" RETURNING 1)
       SELECT (SELECT count(*) FROM "ins") AS "saved"`,
      values: [messageId, reply, !!outbox, ...(outbox?.values ?? [])],
    };
  }

  /** Whether `e` is the unique violation of a reply saved first by another delivery (see `lastStatement`). */
  isReplyConflict(e: unknown): boolean {
    const err = e as { code?: string; table?: string; schema?: string };
    return err?.code === '23505' && err.table === 'rpc_reply' && err.schema === this.schema;
  }

  async prune(olderThanMinutes: number, batch = 5000): Promise<number> {
    let total = 0;
    for (;;) {
      const [, affected]: [unknown[], number] = await this.dataSource.query(
        `DELETE FROM "${this.schema}"."rpc_reply" WHERE "message_id" IN (
           SELECT "message_id" FROM "${this.schema}"."rpc_reply" WHERE "created_at" < now() - make_interval(mins => $1) LIMIT $2)`,
        [olderThanMinutes, batch],
      );
      total += affected;
      if (affected < batch) return total;
    }
  }
}
