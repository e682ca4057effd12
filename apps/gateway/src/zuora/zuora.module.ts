import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { OperationsModule } from '../operations/operations.module';
import { TrackIdMiddleware } from './http/track-id.middleware';
import { GetJobController } from './jobs/queries/get-job/get-job.controller';
import { CreateOrderController } from './orders/commands/create-order/create-order.controller';
import { ZuoraOrdersClient } from './zuora-orders.client';

/** Zuora's asynchronous order API (seed 003): create, preview, and the job status. */
@Module({
  imports: [OperationsModule, IdempotencyModule],
  controllers: [CreateOrderController, GetJobController],
  providers: [ZuoraOrdersClient],
})
export class ZuoraModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TrackIdMiddleware).forRoutes(CreateOrderController, GetJobController);
  }
}
