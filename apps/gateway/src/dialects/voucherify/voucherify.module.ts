import { Module } from '@nestjs/common';
import { GatewayConfig } from '../../config';
import { answerErrorsIn } from '../../core/errors/problem.filter';
import { ReadEdge } from '../../core/http/read-edge';
import { Dialect, DialectRegistry } from '../../core/surfaces/dialect-registry';
import { TrackerModule } from '../../core/tracker/tracker.module';
import { AsyncActionsController } from './async-actions/async-actions.controller';
import { getAsyncActionEdgeRead } from './async-actions/get-async-action.edge-read';
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
import { isVoucherifyPath, newVoucherifyRequestId, voucherifyErrorShape } from './voucherify-errors';

/** Bulk updates and JSON imports carry thousands of items per call. */
export const VOUCHERIFY_BULK_JSON_ROUTES: readonly RegExp[] = [
  /^\/v1\/(vouchers|customers|products)\/(bulk|metadata)\/async\/?$/,
  /^\/v1\/(vouchers|orders)\/import\/?$/,
  /^\/v1\/campaigns\/[^/]+\/import\/?$/,
];

/** importCSV streams its multipart file to storage. */
export const VOUCHERIFY_UPLOAD_ROUTES: readonly RegExp[] = [/^\/v1\/(vouchers|customers|products|skus)\/importCSV\/?$/, /^\/v1\/campaigns\/[^/]+\/importCSV\/?$/];

export function voucherifyDialect(maxUploadBytes: number): Dialect {
  return {
    name: 'voucherify',
    paths: isVoucherifyPath,
    errorShape: voucherifyErrorShape,
    newRequestId: newVoucherifyRequestId,
    bulkJsonRoutes: VOUCHERIFY_BULK_JSON_ROUTES,
    uploads: { routes: VOUCHERIFY_UPLOAD_ROUTES, maxFileBytes: maxUploadBytes },
  };
}

// The imported-resources listing is a native route (/api/v1/imported) and keeps problem+json.
answerErrorsIn(voucherifyErrorShape, [
  AsyncActionsController,
  ImportCsvController,
  ImportJsonController,
  BulkUpdateController,
  GenerateVouchersController,
  CampaignVouchersController,
  MetadataPurgeController,
  VoucherifyResourcesController,
]);

/** Voucherify's API (`/v1/...`) as @voucherify/sdk calls it: job starters and async actions. */
@Module({
  imports: [TrackerModule],
  controllers: [AsyncActionsController, ImportCsvController, ImportJsonController, BulkUpdateController, GenerateVouchersController, CampaignVouchersController, MetadataPurgeController, ListImportedResourcesController, VoucherifyResourcesController],
  providers: [ImporterClient, ImportStarter],
})
export class VoucherifyModule {
  constructor(dialects: DialectRegistry, config: GatewayConfig, edge: ReadEdge) {
    dialects.register(voucherifyDialect(config.VOUCHERIFY_UPLOAD_MAX_BYTES));
    // Polled async action reads skip the router when the view cache can answer them (see ReadEdge).
    edge.register(getAsyncActionEdgeRead);
  }
}
