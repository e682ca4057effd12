import type { DataSource, EntityManager } from 'typeorm';

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
   * Keeps the reply of a handler that changed something, in its transaction, in one statement:
   * whether the transaction has written anything (PostgreSQL assigns a transaction id on the first
   * write only; reads need no stored reply), and if so the insert. `conflict` when another delivery
   * of the same request saved its reply first. `outbox`: the handler's outbox rows (see
   * `OutboxWriter.takeInsert`, numbered from $4), written by the same statement; a handler that
   * sends messages has changed something.
   */
  async saveIfChanged(manager: EntityManager, messageId: string, reply: string, outbox?: { sql: string; values: unknown[] }): Promise<'saved' | 'read-only' | 'conflict'> {
    // `wrote` is read (and kept: the CTE is used twice) before the insert can assign an id itself.
    const [row]: Array<{ wrote: boolean; saved: boolean }> = await manager.query(
      `WITH "w" AS MATERIALIZED (SELECT $3::boolean OR pg_current_xact_id_if_assigned() IS NOT NULL AS "wrote"),${outbox ? `
            "o" AS (${outbox.sql}),` : ''}
            "ins" AS (INSERT INTO "${this.schema}"."rpc_reply" ("message_id", "reply") SELECT $1, $2 FROM "w" WHERE "w"."wrote"
                      ON CONFLICT DO NOTHING RETURNING 1)
       SELECT (SELECT "wrote" FROM "w") AS "wrote", EXISTS (SELECT 1 FROM "ins") AS "saved"`,
      [messageId, reply, !!outbox, ...(outbox?.values ?? [])],
    );
    if (!row?.wrote) return 'read-only';
    return row.saved ? 'saved' : 'conflict';
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
