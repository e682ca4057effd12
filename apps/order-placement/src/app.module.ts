import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AmqpHealthIndicator, MessagingModule } from '@asyncops/messaging';
import { DatabaseHealthIndicator } from '@asyncops/persistence';
import { HealthModule, JsonLogger } from '@asyncops/platform';
import { AddCartItemsController } from './carts/commands/add-cart-items/add-cart-items.controller';
import { CreateCartController } from './carts/commands/create-cart/create-cart.controller';
import { GetCartController } from './carts/queries/get-cart/get-cart.controller';
import { ORDER_PLACEMENT_SCHEMA, OrderPlacementConfig } from './config';
import { orderPlacementDataSourceOptions } from './database';
import { GetOrderController } from './orders/queries/get-order/get-order.controller';
import { CancelPlacementController } from './placement/commands/cancel-placement/cancel-placement.controller';
import { PlaceBatchController } from './placement/commands/place-batch/place-batch.controller';
import { PlaceCartController } from './placement/commands/place-cart/place-cart.controller';
import { PlacementService } from './placement/placement.service';
import { UpsertProductsController } from './products/commands/upsert-products/upsert-products.controller';
import { ProcessZuoraOrderController } from './zuora-orders/commands/process-order/process-order.controller';
import { SubmitZuoraOrderController } from './zuora-orders/commands/submit-order/submit-order.controller';
import { ZuoraReads } from './zuora-orders/queries/zuora-reads';
import { ZuoraReadsController } from './zuora-orders/queries/zuora-reads.controller';
import { ZuoraOrdersService } from './zuora-orders/zuora-orders.service';
import { PersistSalesTransactionController } from './revenue-cloud/commands/persist/persist.controller';
import { PlaceSalesTransactionController } from './revenue-cloud/commands/place/place.controller';
import { PriceSalesTransactionController } from './revenue-cloud/commands/price/price.controller';
import { TaxSalesTransactionController } from './revenue-cloud/commands/tax/tax.controller';
import { SalesTransactionsService } from './revenue-cloud/sales-transactions.service';
import { ConvertPendingOrdersController } from './pending-orders/commands/convert/convert.controller';
import { DeletePendingOrderController } from './pending-orders/commands/delete/delete.controller';
import { ImportPendingOrderController } from './pending-orders/commands/import/import.controller';
import { IngestPendingOrdersController } from './pending-orders/commands/ingest/ingest.controller';
import { PendingOrdersService } from './pending-orders/pending-orders.service';
import { GetPendingOrderController } from './pending-orders/queries/get/get.controller';
import { SoqlQueryController } from './pending-orders/queries/query/query.controller';
import { OrderSummariesController } from './pending-orders/order-summaries/order-summaries.controller';

@Module({})
export class OrderPlacementModule {
  static forRoot(config: OrderPlacementConfig, logger: JsonLogger): DynamicModule {
    return {
      module: OrderPlacementModule,
      imports: [
        TypeOrmModule.forRoot(orderPlacementDataSourceOptions(config)),
        MessagingModule.forRoot({
          service: 'order-placement',
          url: config.AMQP_URL,
          prefix: config.AMQP_PREFIX,
          deliveryLimit: config.AMQP_DELIVERY_LIMIT,
          logger,
          schema: ORDER_PLACEMENT_SCHEMA,
          outboxPollMs: config.OUTBOX_POLL_MS,
          processedMessageRetentionDays: config.PROCESSED_MESSAGE_RETENTION_DAYS,
          processedMessagePruneIntervalMs: config.PROCESSED_MESSAGE_PRUNE_INTERVAL_MS,
        }),
        HealthModule.forRoot([DatabaseHealthIndicator], [DatabaseHealthIndicator, AmqpHealthIndicator]),
      ],
      controllers: [
        UpsertProductsController,
        CreateCartController,
        AddCartItemsController,
        GetCartController,
        PlaceCartController,
        PlaceBatchController,
        CancelPlacementController,
        GetOrderController,
        SubmitZuoraOrderController,
        ProcessZuoraOrderController,
        ZuoraReadsController,
        PlaceSalesTransactionController,
        PriceSalesTransactionController,
        TaxSalesTransactionController,
        PersistSalesTransactionController,
        IngestPendingOrdersController,
        ConvertPendingOrdersController,
        ImportPendingOrderController,
        GetPendingOrderController,
        DeletePendingOrderController,
        SoqlQueryController,
        OrderSummariesController,
      ],
      providers: [{ provide: OrderPlacementConfig, useValue: config }, PlacementService, ZuoraOrdersService, ZuoraReads, SalesTransactionsService, PendingOrdersService],
    };
  }
}
