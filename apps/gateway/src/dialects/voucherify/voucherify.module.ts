import { Module } from '@nestjs/common';
import { OperationsModule } from '../native/operations/operations.module';
import { AsyncActionsController } from './async-actions/async-actions.controller';
import { CampaignVouchersController } from './campaigns/campaign-vouchers.controller';
import { GenerateVouchersController } from './campaigns/generate-vouchers.controller';
import { ImporterClient } from './importer-client';
import { BulkUpdateController } from './imports/bulk-update.controller';
import { ImportCsvController } from './imports/import-csv.controller';
import { ImportJsonController } from './imports/import-json.controller';
import { MetadataPurgeController } from './metadata/metadata-purge.controller';
import { ImportStarter } from './imports/import-starter';
import { ListImportedResourcesController } from './imported-resources/list-imported-resources.controller';
import { VoucherifyResourcesController } from './resources/voucherify-resources.controller';

/** Voucherify's API (`/v1/...`) as @voucherify/sdk calls it: job starters and async actions. */
@Module({
  imports: [OperationsModule],
  controllers: [AsyncActionsController, ImportCsvController, ImportJsonController, BulkUpdateController, GenerateVouchersController, CampaignVouchersController, MetadataPurgeController, ListImportedResourcesController, VoucherifyResourcesController],
  providers: [ImporterClient, ImportStarter],
})
export class VoucherifyModule {}
