import { Module } from '@nestjs/common';
import { IdempotencyService } from './idempotency.service';
import { IdempotencyStore } from './idempotency.store';

/** Needs the gateway's DataSource (AppModule provides it) and GatewayConfig. */
@Module({
  providers: [IdempotencyStore, IdempotencyService],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
