import { Module } from '@nestjs/common';
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
import { ImportedResourcesController } from './resources/imported-resources.controller';
import { RetentionSweeper } from './retention/retention-sweeper';
import { SingleResources } from './resources/single/single-resources';

/** The importer's controllers and providers; runTableService adds its config, database, broker and health. */
@Module({
  controllers: [ImportsRpcController, ImportBatchController, CancelActionController, ImportedResourcesController],
  providers: [
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
})
export class ImporterModule {}
