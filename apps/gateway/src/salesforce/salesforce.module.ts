import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ReplicationFeedsController } from './feeds/replication-feeds.controller';
import { VersionsController } from './http/versions.controller';
import { QueryController } from './query/query.controller';
import { SalesforceCallers } from './records/caller';
import { SalesforceTrackerClient } from './salesforce-tracker.client';
import { SObjectsController } from './sobjects/sobjects.controller';

/**
 * The Salesforce REST dialect under /services/data. Controller order matters: the fixed
 * `sobjects/{object}/updated|deleted` routes must be registered before `sobjects/{object}/{id}`.
 */
@Module({
  imports: [AuthModule],
  controllers: [VersionsController, ReplicationFeedsController, QueryController, SObjectsController],
  providers: [SalesforceTrackerClient, SalesforceCallers],
})
export class SalesforceModule {}
