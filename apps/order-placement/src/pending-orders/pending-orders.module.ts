import { Module } from '@nestjs/common';
import { OrderSummariesController } from './order-summaries/order-summaries.controller';
import { OrderSummariesQuery } from './order-summaries/order-summaries.query';
import { PendingOrdersController } from './pending-orders.controller';
import { PendingOrdersService } from './pending-orders.service';
import { SummariesSoqlQuery } from './queries/query/soql-query';

/** Salesforce pending orders: ingested or imported, converted to order summaries, and read back (also by SOQL). */
@Module({
  controllers: [PendingOrdersController, OrderSummariesController],
  providers: [PendingOrdersService, OrderSummariesQuery, SummariesSoqlQuery],
})
export class PendingOrdersModule {}
