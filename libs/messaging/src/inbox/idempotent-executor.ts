import type { PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { isRetryableTransactionError, SqlStatement, withCommit } from '@asyncops/persistence';

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
   * before, in the same transaction; the work may end it with a last statement, sent with the
   * COMMIT (see `transactionEndingWith`).
   */
  async runManyEndingWith<T>(
    consumer: string,
    messageIds: string[],
    work: (manager: EntityManager, fresh: ReadonlySet<string>) => Promise<{ value: T; last?: SqlStatement }>,
  ): Promise<T> {
    return this.transactionEndingWith(async (m) => work(m, await this.recordMany(m, consumer, messageIds)));
  }

  private async recordMany(m: EntityManager, consumer: string, messageIds: string[]): Promise<ReadonlySet<string>> {
    const inserted: Array<{ message_id: string }> = await m.query(
      `INSERT INTO "${this.schema}"."processed_message" ("consumer", "message_id") SELECT $1, unnest($2::text[])
       ON CONFLICT DO NOTHING RETURNING "message_id"`,
      [consumer, messageIds],
    );
    return new Set(inserted.map((r) => r.message_id));
  }

  /** A plain transaction with the same retry policy, for work that needs no dedupe (reads, RPCs). */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.retried(() => this.dataSource.transaction(work));
  }

  /**
   * `transaction` for work whose last statement may travel with the COMMIT: `work` answers its value
   * and, optionally, that statement, and both go to PostgreSQL as one message over the simple query
   * protocol (`withCommit`: the statement's values as literals), a round
   * trip less for every request that changes something. A statement that fails (e.g. a unique
   * violation) ends nothing: the COMMIT after it is not run, the transaction is rolled back and the
   * error thrown, as if the statement had been sent alone.
   */
  async transactionEndingWith<T>(work: (manager: EntityManager) => Promise<{ value: T; last?: SqlStatement }>): Promise<T> {
    return this.retried(async () => {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      let open = false;
      try {
        await runner.startTransaction();
        open = true;
        const { value, last } = await work(runner.manager);
        if (last) {
          const client = (runner as unknown as { databaseConnection: PoolClient }).databaseConnection;
          await client.query(withCommit(last));
          // The message above ended the transaction; TypeORM's runner did not see it end.
          (runner as unknown as { isTransactionActive: boolean }).isTransactionActive = false;
        } else {
          await runner.commitTransaction();
        }
        open = false;
        return value;
      } catch (e) {
        if (open) await runner.rollbackTransaction().catch(() => undefined);
        throw e;
      } finally {
        await runner.release();
      }
    });
  }

  private async retried<T>(once: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once();
      } catch (e) {
        if (!isRetryableTransactionError(e) || attempt >= MAX_TRANSACTION_RETRIES) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
    }
  }
}
