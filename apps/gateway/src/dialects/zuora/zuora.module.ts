import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { answerErrorsIn } from '../../core/errors/problem.filter';
import { Dialect, DialectRegistry } from '../../core/surfaces/dialect-registry';
import { IdempotencyModule } from '../../core/idempotency/idempotency.module';
import { TrackerModule } from '../../core/tracker/tracker.module';
import { ReadEdge } from '../../core/http/read-edge';
import { TrackIdMiddleware } from './http/track-id.middleware';
import { GetJobController } from './jobs/queries/get-job/get-job.controller';
import { getJobEdgeRead } from './jobs/queries/get-job/get-job.edge-read';
import { CreateOrderController } from './zuora-orders/commands/create-order/create-order.controller';
import { ZuoraReadsController } from './zuora-orders/queries/zuora-reads.controller';
import { ZuoraOrdersClient } from './zuora-orders.client';
import { isZuoraPath, zuoraErrorShape } from './errors/zuora-error';

const ZUORA_CONTROLLERS = [CreateOrderController, GetJobController, ZuoraReadsController];
answerErrorsIn(zuoraErrorShape, ZUORA_CONTROLLERS);

export const ZUORA_DIALECT: Dialect = { name: 'zuora', paths: isZuoraPath, errorShape: zuoraErrorShape };

/** Zuora's asynchronous order API (seed 003): create, preview, the job status, and the order and subscriptions a job created. */
@Module({
  imports: [TrackerModule, IdempotencyModule],
  controllers: ZUORA_CONTROLLERS,
  providers: [ZuoraOrdersClient],
})
export class ZuoraModule implements NestModule {
  constructor(dialects: DialectRegistry, edge: ReadEdge) {
    dialects.register(ZUORA_DIALECT);
    // Polled job status reads skip the router when the view cache can answer them (see ReadEdge).
    edge.register(getJobEdgeRead);
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TrackIdMiddleware).forRoutes(...ZUORA_CONTROLLERS);
  }
}
