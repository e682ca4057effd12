import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AmqpHealthIndicator, MessagingModule } from '@asyncops/messaging';
import { DatabaseHealthIndicator } from '@asyncops/persistence';
import { HealthModule, JsonLogger } from '@asyncops/platform';
import { IMPORTER_SCHEMA, ImporterConfig } from './config';
import { importerDataSourceOptions } from './database';
import { CancelActionController } from './imports/commands/cancel-action/cancel-action.controller';
import { ImportBatchController } from './imports/commands/import-batch/import-batch.controller';
import { UploadReader } from './imports/copy/upload-reader';
import { BatchRunner } from './imports/batch/batch-runner';
import { CampaignChangeHandler } from './imports/commands/change-campaign/change-campaign.handler';
import { CodeGenerationHandler } from './imports/commands/generate-codes/generate-codes.handler';
import { ResourceImportHandler } from './imports/commands/import-resources/import-resources.handler';
import { MetadataPurgeHandler } from './imports/commands/purge-metadata/purge-metadata.handler';
import { UploadStore } from './imports/uploads/upload-store';
import { ImportsRpcController } from './imports/rpc/imports-rpc.controller';
import { ListImportedResourcesController } from './resources/queries/list-imported-resources/list-imported-resources.controller';
import { RetentionSweeper } from './retention/retention-sweeper';
import { SingleResources } from './resources/single/single-resources';
import { SingleResourcesController } from './resources/single/single-resources.controller';

@Module({})
export class ImporterModule {
  static forRoot(config: ImporterConfig, logger: JsonLogger): DynamicModule {
    return {
      module: ImporterModule,
      imports: [
        TypeOrmModule.forRoot(importerDataSourceOptions(config)),
        MessagingModule.forRoot({
          service: 'importer',
          url: config.AMQP_URL,
          prefix: config.AMQP_PREFIX,
          deliveryLimit: config.AMQP_DELIVERY_LIMIT,
          logger,
          schema: IMPORTER_SCHEMA,
          outboxPollMs: config.OUTBOX_POLL_MS,
          processedMessageRetentionDays: config.PROCESSED_MESSAGE_RETENTION_DAYS,
          processedMessagePruneIntervalMs: config.PROCESSED_MESSAGE_PRUNE_INTERVAL_MS,
        }),
        HealthModule.forRoot([DatabaseHealthIndicator], [DatabaseHealthIndicator, AmqpHealthIndicator]),
      ],
      controllers: [ImportsRpcController, ImportBatchController, CancelActionController, ListImportedResourcesController, SingleResourcesController],
      providers: [
        { provide: ImporterConfig, useValue: config },
        UploadStore,
        UploadReader,
        ResourceImportHandler,
        CodeGenerationHandler,
        CampaignChangeHandler,
        MetadataPurgeHandler,
        BatchRunner,
        SingleResources,
        RetentionSweeper,
      ],
    };
  }
}
