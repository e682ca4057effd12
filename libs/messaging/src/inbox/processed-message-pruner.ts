import type { DataSource } from 'typeorm';
import { PeriodicTask, type ContextLogger } from '@asyncops/platform';

export interface ProcessedMessagePrunerOptions {
  /** Message ids older than this are forgotten; redeliveries never arrive that late. */
  retentionMs: number;
  /** Pause between passes. */
  intervalMs: number;
  /** Rows deleted per statement, so a pass never holds many locks or one long transaction. */
  batchSize?: number;
}

/**
 * Forgets processed message ids past their retention, in every service that keeps an inbox.
 * Replica-safe: each batch claims its rows with `FOR UPDATE SKIP LOCKED`, so replicas pruning at
 * the same time delete disjoint rows and never wait on each other or on consumers.
 */
export class ProcessedMessagePruner {
  private readonly schedule: PeriodicTask;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly log: ContextLogger,
    private readonly options: ProcessedMessagePrunerOptions,
  ) {
    this.schedule = new PeriodicTask(options.intervalMs, () =>
      this.pruneOnce().catch((e) => {
        // The database may be away; the next pass tries again.
        this.log.warn({ msg: 'processed-message pruning failed; will retry', error: (e as Error).message });
      }),
    );
  }

  start(): void {
    this.stopped = false;
    this.schedule.start();
  }

  /** One pass; returns how many ids were forgotten. */
  async pruneOnce(): Promise<number> {
    const batch = this.options.batchSize ?? 5_000;
    let total = 0;
    for (;;) {
      // TypeORM answers a DELETE with [rows, affected].
      const [, affected]: [unknown[], number] = await this.dataSource.query(
        `DELETE FROM "${this.schema}"."processed_message" p USING (
           SELECT "consumer", "message_id" FROM "${this.schema}"."processed_message"
            WHERE "processed_at" < now() - make_interval(secs => $1)
            LIMIT $2 FOR UPDATE SKIP LOCKED
         ) old
         WHERE p."consumer" = old."consumer" AND p."message_id" = old."message_id"`,
        [this.options.retentionMs / 1000, batch],
      );
      total += affected;
      if (affected < batch || this.stopped) break;
    }
    if (total) this.log.info({ msg: 'processed message ids pruned', count: total, event: 'processed-messages-pruned' });
    return total;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.schedule.stop();
  }
}
