import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdempotentExecutor } from '@asyncops/messaging';
import { ORDER_PLACEMENT_SCHEMA, OrderPlacementConfig } from '../config';

/**
 * order-placement's retention rule: processed message ids go after PROCESSED_MESSAGE_RETENTION_DAYS.
 * Carts, orders, quotes, Zuora accounts/orders/subscriptions, pending orders and order summaries are
 * business records and stay until deleted (a pending order until it is converted or deleted).
 */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(RetentionSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private readonly executor: IdempotentExecutor;

  constructor(
    dataSource: DataSource,
    @Inject(OrderPlacementConfig) private readonly config: OrderPlacementConfig,
  ) {
    this.executor = new IdempotentExecutor(dataSource, ORDER_PLACEMENT_SCHEMA);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.sweep().finally(() => (this.running = undefined));
    }, this.config.SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async sweep(): Promise<number> {
    try {
      const n = await this.executor.prune(this.config.PROCESSED_MESSAGE_RETENTION_DAYS);
      if (n) this.log.log({ msg: 'old processed message ids pruned', count: n, event: 'retention-swept' });
      return n;
    } catch (e) {
      this.log.error({ msg: 'retention sweep failed; the next one retries', error: (e as Error).message });
      return 0;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
