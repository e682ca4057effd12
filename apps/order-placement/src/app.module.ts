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
import { PlaceBatchController } from './placement/commands/place-batch/place-batch.controller';
import { PlaceCartController } from './placement/commands/place-cart/place-cart.controller';
import { PlacementService } from './placement/placement.service';
import { UpsertProductsController } from './products/commands/upsert-products/upsert-products.controller';

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
      controllers: [
        UpsertProductsController,
        CreateCartController,
        AddCartItemsController,
        GetCartController,
        PlaceCartController,
        PlaceBatchController,
        GetOrderController,
      ],
      providers: [{ provide: OrderPlacementConfig, useValue: config }, PlacementService],
    };
  }
}
