import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { IdempotencyModule } from '../../core/idempotency/idempotency.module';
import { OperationsModule } from '../native/operations/operations.module';
import { TrackIdMiddleware } from './http/track-id.middleware';
import { GetJobController } from './jobs/queries/get-job/get-job.controller';
import { CreateOrderController } from './zuora-orders/commands/create-order/create-order.controller';
import { GetZuoraOrderController } from './zuora-orders/queries/get-order/get-order.controller';
import { GetZuoraSubscriptionController } from './subscriptions/queries/get-subscription/get-subscription.controller';
import { ZuoraOrdersClient } from './zuora-orders.client';

/** Zuora's asynchronous order API (seed 003): create, preview, the job status, and the order and subscriptions a job created. */
@Module({
  imports: [OperationsModule, IdempotencyModule],
  controllers: [CreateOrderController, GetJobController, GetZuoraOrderController, GetZuoraSubscriptionController],
  providers: [ZuoraOrdersClient],
})
export class ZuoraModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TrackIdMiddleware).forRoutes(CreateOrderController, GetJobController, GetZuoraOrderController, GetZuoraSubscriptionController);
  }
}
