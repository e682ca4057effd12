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
   * Whether the current transaction has written anything: PostgreSQL assigns a transaction id
   * on the first write only. Reads need no stored reply.
   */
  async changedSomething(manager: EntityManager): Promise<boolean> {
    const [row]: Array<{ wrote: boolean }> = await manager.query('SELECT pg_current_xact_id_if_assigned() IS NOT NULL AS "wrote"');
    return row?.wrote === true;
  }

  /** Saves the reply in the handler's transaction; false when another delivery saved one first. */
  async save(manager: EntityManager, messageId: string, reply: string): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO "${this.schema}"."rpc_reply" ("message_id", "reply") VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING "message_id"`,
      [messageId, reply],
    );
    return inserted.length > 0;
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
