import type { DataSource, EntityManager } from 'typeorm';
import { isRetryableTransactionError } from '@asyncops/persistence';

const MAX_TRANSACTION_RETRIES = 8;

export type ExecutionOutcome<T> = { duplicate: true } | { duplicate: false; result: T };

/**
 * Runs a handler in a transaction that also records the message id. A redelivered or
 * duplicated message finds its id already recorded and changes nothing. Serialization failures
 * and deadlocks are retried here, inside the same delivery.
 */
export class IdempotentExecutor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
  ) {}

  async run<T>(consumer: string, messageId: string, work: (manager: EntityManager) => Promise<T>): Promise<ExecutionOutcome<T>> {
    return this.transaction(async (m) => {
      const inserted: unknown[] = await m.query(
        `INSERT INTO "${this.schema}"."processed_message" ("consumer", "message_id") VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING "message_id"`,
        [consumer, messageId],
      );
      if (!inserted.length) return { duplicate: true } as const;
      return { duplicate: false, result: await work(m) } as const;
    });
  }

  /**
   * The batch form of `run`: records every id in one statement and gives `work` the ids not seen
   * before, in the same transaction.
   */
  async runMany<T>(consumer: string, messageIds: string[], work: (manager: EntityManager, fresh: ReadonlySet<string>) => Promise<T>): Promise<T> {
    return this.transaction(async (m) => {
      const inserted: Array<{ message_id: string }> = await m.query(
        `INSERT INTO "${this.schema}"."processed_message" ("consumer", "message_id") SELECT $1, unnest($2::text[])
         ON CONFLICT DO NOTHING RETURNING "message_id"`,
        [consumer, messageIds],
      );
      return work(m, new Set(inserted.map((r) => r.message_id)));
    });
  }

  /** A plain transaction with the same retry policy, for work that needs no dedupe (reads, RPCs). */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (e) {
        if (!isRetryableTransactionError(e) || attempt >= MAX_TRANSACTION_RETRIES) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
    }
  }
}
