import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { observeDbPool, type HealthIndicator, type PoolLike } from '@asyncops/platform';

@Injectable()
export class DatabaseHealthIndicator implements HealthIndicator {
  readonly name = 'database';
  constructor(private readonly dataSource: DataSource) {
    // Every app registers this indicator for its DataSource, so it also reports the pool's usage.
    observeDbPool('default', () => (dataSource.isInitialized ? ((dataSource.driver as { master?: PoolLike }).master ?? undefined) : undefined));
  }
  async check(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
