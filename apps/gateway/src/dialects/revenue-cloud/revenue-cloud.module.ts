import { Module } from '@nestjs/common';
import { OperationsModule } from '../native/operations/operations.module';
import { PlaceSalesTransactionController } from './place/place-sales-transaction.controller';
import { SalesTransactionsClient } from './sales-transactions.client';

/** Revenue Cloud's place order / place quote actions (Salesforce REST dialect). */
@Module({
  imports: [OperationsModule],
  controllers: [PlaceSalesTransactionController],
  providers: [SalesTransactionsClient],
})
export class RevenueCloudModule {}
