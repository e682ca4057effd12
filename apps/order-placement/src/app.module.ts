import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AmqpHealthIndicator, MessagingModule } from '@asyncops/messaging';
import { DatabaseHealthIndicator } from '@asyncops/persistence';
import { HealthModule, JsonLogger } from '@asyncops/platform';
import { ORDER_PLACEMENT_SCHEMA, OrderPlacementConfig } from './config';
import { orderPlacementDataSourceOptions } from './database';
import { PendingOrdersModule } from './pending-orders/pending-orders.module';
import { PlacementModule } from './placement/placement.module';
import { ProductsModule } from './products/products.module';
import { RevenueCloudModule } from './revenue-cloud/revenue-cloud.module';
import { ZuoraOrdersModule } from './zuora-orders/zuora-orders.module';

/** The validated config, for every capability's providers. */
@Module({})
class OrderPlacementConfigModule {}

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
        {
          module: OrderPlacementConfigModule,
          global: true,
          providers: [{ provide: OrderPlacementConfig, useValue: config }],
          exports: [OrderPlacementConfig],
        },
        ProductsModule,
        PlacementModule,
        ZuoraOrdersModule,
        RevenueCloudModule,
        PendingOrdersModule,
      ],
    };
  }
}
