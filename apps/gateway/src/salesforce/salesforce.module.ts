import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { CompositeController } from './composite/composite.controller';
import { OrderSummariesClient } from './order-summary/order-summaries.client';
import { OrderSummariesNativeController } from './order-summary/order-summaries-native.controller';
import { OrderSummaryController } from './order-summary/order-summary.controller';
import { ReplicationFeedsController } from './feeds/replication-feeds.controller';
import { VersionsController } from './http/versions.controller';
import { QueryController } from './query/query.controller';
import { SalesforceCallers } from './records/caller';
import { SalesforceTrackerClient } from './salesforce-tracker.client';
import { SObjectsController } from './sobjects/sobjects.controller';
import { PendingOrdersClient } from './pending-order-summary/pending-orders.client';
import { PendingOrdersBulkController } from './pending-order-summary/pending-orders-bulk.controller';
import { PendingOrderSummaryController } from './pending-order-summary/pending-order-summary.controller';

/**
 * The Salesforce REST dialect under /services/data. Controller order matters: the fixed
 * `sobjects/{object}/updated|deleted` routes and PendingOrderSummary's own routes must be registered
 * before `sobjects/{object}/{id}`.
 */
@Module({
  imports: [AuthModule, RateLimitModule],
  controllers: [CompositeController, VersionsController, ReplicationFeedsController, QueryController, PendingOrderSummaryController, OrderSummaryController, SObjectsController, PendingOrdersBulkController, OrderSummariesNativeController],
  providers: [SalesforceTrackerClient, SalesforceCallers, PendingOrdersClient, OrderSummariesClient],
})
export class SalesforceModule {}
