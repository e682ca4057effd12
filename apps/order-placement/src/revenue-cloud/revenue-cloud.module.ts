import { Module } from '@nestjs/common';
import { PlaceSalesTransactionController, SalesTransactionStepsController } from './revenue-cloud.controller';
import { SalesTransactionsService } from './sales-transactions.service';

/** Revenue Cloud sales transactions: placed, then priced, taxed and persisted one command each. */
@Module({
  controllers: [PlaceSalesTransactionController, SalesTransactionStepsController],
  providers: [SalesTransactionsService],
})
export class RevenueCloudModule {}
