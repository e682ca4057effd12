import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AmqpHealthIndicator, MessagingModule } from '@asyncops/messaging';
import { DatabaseHealthIndicator } from '@asyncops/persistence';
import { HealthModule, JsonLogger } from '@asyncops/platform';
import { ORDER_PLACEMENT_SCHEMA, OrderPlacementConfig } from './config';
import { orderPlacementDataSourceOptions } from './database';

/** The service boots, owns its schema and reports health; its work arrives in later releases. */
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
        }),
        HealthModule.forRoot([DatabaseHealthIndicator], [DatabaseHealthIndicator, AmqpHealthIndicator]),
      ],
    };
  }
}
