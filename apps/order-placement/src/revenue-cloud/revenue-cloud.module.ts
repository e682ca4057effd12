import { Module } from '@nestjs/common';
import { RevenueCloudController } from './revenue-cloud.controller';
import { SalesTransactionsService } from './sales-transactions.service';

/** Revenue Cloud sales transactions: placed, then priced, taxed and persisted one command each. */
@Module({
  controllers: [RevenueCloudController],
  providers: [SalesTransactionsService],
})
export class RevenueCloudModule {}
