import { Module } from '@nestjs/common';
import { CancelOperationController } from './commands/cancel-operation/cancel-operation.controller';
import { CreateOperationController } from './commands/create-operation/create-operation.controller';
import { RecordSubmittedController } from './commands/record-submitted/record-submitted.controller';
import { ProducerAuthorization } from './producers/producer-authorization';
import { LifecycleEventsController } from './commands/apply-lifecycle-event/lifecycle-events.controller';
import { TrackerConfig } from './config';
import { DeadLetterWatcher } from './dead-letters/dead-letter-watcher';
import { OperationLifecycle } from './operations/operation-lifecycle';
import { LifecycleBatch } from './operations/lifecycle-batch';
import { OperationMetrics } from './operations/operation-metrics';
import { GetOperationController } from './queries/get-operation/get-operation.controller';
import { ListItemFailuresController } from './queries/list-item-failures/list-item-failures.controller';
import { ListOperationsController } from './queries/list-operations/list-operations.controller';
import { ExpirySweeper } from './retention/expiry-sweeper';
import { OwnerChangeSweeper } from './retention/owner-change-sweeper';
import { DeleteOperationController } from './commands/delete-operation/delete-operation.controller';
import { ReplicationFeedsController } from './queries/replication-feeds/replication-feeds.controller';
import { SoqlQueryController } from './queries/soql-query/soql-query.controller';
import { EventLogMaintenance } from './live-events/event-log-maintenance';
import { ListOperationEventsController } from './live-events/list-operation-events.controller';
import { OperationEventLog } from './live-events/operation-event-log';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery-worker';
import { parseSecretKeys, SecretBox } from './webhooks/secret-box';
import { WebhookSecretSealer } from './webhooks/webhook-secret-sealer';
import { WebhookPlanner } from './webhooks/webhook-planner';
import { WebhooksController } from './webhooks/webhooks.controller';

/** The tracker's controllers and providers; runTableService adds its config, database, broker and health. */
@Module({
  controllers: [
    LifecycleEventsController,
    CreateOperationController,
    RecordSubmittedController,
    CancelOperationController,
    GetOperationController,
    ListOperationsController,
    ListItemFailuresController,
    DeleteOperationController,
    SoqlQueryController,
    ReplicationFeedsController,
    ListOperationEventsController,
    WebhooksController,
  ],
  providers: [
    OperationLifecycle,
    LifecycleBatch,
    ProducerAuthorization,
    DeadLetterWatcher,
    ExpirySweeper,
    OwnerChangeSweeper,
    OperationEventLog,
    EventLogMaintenance,
    WebhookPlanner,
    WebhookDeliveryWorker,
    OperationMetrics,
    { provide: SecretBox, useFactory: (c: TrackerConfig) => new SecretBox(parseSecretKeys(c.WEBHOOK_SECRET_KEYS).keys), inject: [TrackerConfig] },
    WebhookSecretSealer,
  ],
})
export class TrackerModule {}
