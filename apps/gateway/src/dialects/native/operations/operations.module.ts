import { Module } from '@nestjs/common';
import { GatewayConfig } from '../../../config';
import { ReadEdge } from '../../../core/http/read-edge';
import { CancelOperationController } from './commands/cancel-operation/cancel-operation.controller';
import { CreateOperationController } from './commands/create-operation/create-operation.controller';
import { GetOperationController } from './queries/get-operation/get-operation.controller';
import { getOperationEdgeRead } from './queries/get-operation/get-operation.edge-read';
import { ListItemFailuresController } from './queries/list-item-failures/list-item-failures.controller';
import { ListOperationsController } from './queries/list-operations/list-operations.controller';
import { RetryAfterInterceptor } from './retry-after.interceptor';
import { TrackerModule } from '../../../core/tracker/tracker.module';

/** The native operations API; every read and write is a request to the tracker. */
@Module({
  imports: [TrackerModule],
  controllers: [
    ListOperationsController,
    CreateOperationController,
    GetOperationController,
    CancelOperationController,
    ListItemFailuresController,
  ],
  providers: [RetryAfterInterceptor],
})
export class OperationsModule {
  constructor(edge: ReadEdge, config: GatewayConfig) {
    // Polled status reads skip the router when the view cache can answer them (see ReadEdge).
    edge.register(getOperationEdgeRead(config.RETRY_AFTER_SECONDS));
  }
}
