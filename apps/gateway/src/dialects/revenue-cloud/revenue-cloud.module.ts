import { Module } from '@nestjs/common';
import { answerErrorsIn } from '../../core/errors/problem.filter';
import { salesforceErrorShape } from '../salesforce/errors/salesforce-error';
import { OperationsModule } from '../native/operations/operations.module';
import { PlaceSalesTransactionController } from './place/place-sales-transaction.controller';
import { SalesTransactionsClient } from './sales-transactions.client';

// Revenue Cloud's actions are Salesforce REST resources (under /services/data): Salesforce's error shape.
answerErrorsIn(salesforceErrorShape, [PlaceSalesTransactionController]);

/** Revenue Cloud's place order / place quote actions (Salesforce REST dialect). */
@Module({
  imports: [OperationsModule],
  controllers: [PlaceSalesTransactionController],
  providers: [SalesTransactionsClient],
})
export class RevenueCloudModule {}
