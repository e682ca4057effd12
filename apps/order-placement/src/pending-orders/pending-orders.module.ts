import { Module } from '@nestjs/common';
import { ConvertPendingOrdersController } from './commands/convert/convert.controller';
import { DeletePendingOrderController } from './commands/delete/delete.controller';
import { ImportPendingOrderController } from './commands/import/import.controller';
import { IngestPendingOrdersController } from './commands/ingest/ingest.controller';
import { OrderSummariesController } from './order-summaries/order-summaries.controller';
import { OrderSummariesQuery } from './order-summaries/order-summaries.query';
import { PendingOrdersService } from './pending-orders.service';
import { GetPendingOrderController } from './queries/get/get.controller';
import { SoqlQueryController } from './queries/query/query.controller';
import { SummariesSoqlQuery } from './queries/query/soql-query';

/** Salesforce pending orders: ingested or imported, converted to order summaries, and read back (also by SOQL). */
@Module({
  controllers: [
    IngestPendingOrdersController,
    ConvertPendingOrdersController,
    ImportPendingOrderController,
    GetPendingOrderController,
    DeletePendingOrderController,
    SoqlQueryController,
    OrderSummariesController,
  ],
  providers: [PendingOrdersService, OrderSummariesQuery, SummariesSoqlQuery],
})
export class PendingOrdersModule {}
