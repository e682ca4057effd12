import { Module } from '@nestjs/common';
import { answerErrorsIn } from '../../core/errors/problem.filter';
import { salesforceErrorShape } from '../salesforce/errors/salesforce-error';
import { TrackerModule } from '../../core/tracker/tracker.module';
import { PlaceSalesTransactionController } from './place/place-sales-transaction.controller';
import { SalesTransactionsClient } from './sales-transactions.client';

// Revenue Cloud's actions are Salesforce REST resources (under /services/data): Salesforce's error shape.
answerErrorsIn(salesforceErrorShape, [PlaceSalesTransactionController]);

/** Revenue Cloud's place order / place quote actions (Salesforce REST dialect). */
@Module({
  imports: [TrackerModule],
  controllers: [PlaceSalesTransactionController],
  providers: [SalesTransactionsClient],
})
export class RevenueCloudModule {}
