import { Global, Module } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotent.decorator';
import { IdempotencyService } from './idempotency.service';
import { IdempotencyStore } from './idempotency.store';

/**
 * Needs the gateway's DataSource (AppModule provides it) and GatewayConfig. Global, so any
 * controller can use @Idempotent() without its module importing anything.
 */
@Global()
@Module({
  providers: [IdempotencyStore, IdempotencyService, IdempotencyInterceptor],
  exports: [IdempotencyService, IdempotencyInterceptor],
})
export class IdempotencyModule {}
