import { Module } from '@nestjs/common';
import { JsonLogger } from '@asyncops/platform';
import { GatewayConfig } from '../../config';
import { ReadEdge } from '../../core/http/read-edge';
import { answerErrorsIn } from '../../core/errors/problem.filter';
import { Dialect, DialectRegistry } from '../../core/surfaces/dialect-registry';
import { AuthModule } from '../../core/auth/auth.module';
import { RateLimitModule } from '../../core/rate-limit/rate-limit.module';
import { TrackerModule } from '../../core/tracker/tracker.module';
import { CompositeController } from './composite/composite.controller';
import { OrderSummariesClient } from './order-summaries/order-summaries.client';
import { OrderSummariesNativeController } from './order-summaries/order-summaries-native.controller';
import { OrderSummaryController } from './order-summaries/order-summary.controller';
import { ReplicationFeedsController } from './feeds/replication-feeds.controller';
import { VersionsController } from './http/versions.controller';
import { QueryController } from './query/query.controller';
import { QueryEdge } from './query/query-edge';
import { SoqlPages } from './query/soql-pages';
import { SoqlReads } from './query/soql-reads';
import { SalesforceCallers } from './records/caller';
import { SalesforceTrackerClient } from './salesforce-tracker.client';
import { SObjectsController } from './sobjects/sobjects.controller';
import { PendingOrdersClient } from './pending-orders/pending-orders.client';
import { PendingOrdersBulkController } from './pending-orders/pending-orders-bulk.controller';
import { PendingOrderSummaryController } from './pending-orders/pending-order-summary.controller';
import { SALESFORCE_TOKEN_PATH, SalesforceTokenController } from './auth/salesforce-token.controller';
import { isSalesforcePath, salesforceErrorShape } from './errors/salesforce-error';

/** High-scale pending-order ingestion carries thousands of orders per call. */
export const PENDING_ORDERS_BULK_JSON_ROUTES: readonly RegExp[] = [/^\/api\/v1\/pending-orders\/?$/];

export const SALESFORCE_DIALECT: Dialect = {
  name: 'salesforce',
  paths: isSalesforcePath,
  errorShape: salesforceErrorShape,
  bulkJsonRoutes: PENDING_ORDERS_BULK_JSON_ROUTES,
  tokenPaths: [SALESFORCE_TOKEN_PATH],
};

// The routes under /services/data. The native pending-orders and order-summaries routes and the
// token path keep the core's problem+json and OAuth shapes.
answerErrorsIn(salesforceErrorShape, [CompositeController, VersionsController, ReplicationFeedsController, QueryController, PendingOrderSummaryController, OrderSummaryController, SObjectsController]);

/**
 * The Salesforce REST dialect under /services/data. Controller order matters: the fixed
 * `sobjects/{object}/updated|deleted` routes and PendingOrderSummary's own routes must be registered
 * before `sobjects/{object}/{id}`.
 */
@Module({
  imports: [AuthModule, RateLimitModule, TrackerModule],
  controllers: [SalesforceTokenController, CompositeController, VersionsController, ReplicationFeedsController, QueryController, PendingOrderSummaryController, OrderSummaryController, SObjectsController, PendingOrdersBulkController, OrderSummariesNativeController],
  providers: [
    SalesforceTrackerClient,
    SalesforceCallers,
    PendingOrdersClient,
    OrderSummariesClient,
    SoqlPages,
    { provide: SoqlReads, useFactory: (config: GatewayConfig) => SoqlReads.fromConfig(config), inject: [GatewayConfig] },
  ],
})
export class SalesforceModule {
  constructor(dialects: DialectRegistry, edge: ReadEdge, pages: SoqlPages, logger: JsonLogger, config: GatewayConfig) {
    dialects.register(SALESFORCE_DIALECT);
    // SOQL pages skip the router (see QueryEdge).
    edge.registerCall(new QueryEdge(pages, logger, config, dialects));
  }
}
