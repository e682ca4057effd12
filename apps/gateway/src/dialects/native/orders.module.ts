import { Module } from '@nestjs/common';
import { OperationsModule } from './operations/operations.module';
import { AddCartItemsController } from './carts/commands/add-cart-items/add-cart-items.controller';
import { CreateCartController } from './carts/commands/create-cart/create-cart.controller';
import { PlaceCartController } from './placement/commands/place-cart/place-cart.controller';
import { GetCartController } from './carts/queries/get-cart/get-cart.controller';
import { OrderPlacementClient } from './order-placement-client';
import { GetOrderController } from './orders/queries/get-order/get-order.controller';
import { UpsertProductsController } from './products/commands/upsert-products/upsert-products.controller';

/** The native products, carts and orders API; every read and write is a request to order-placement. */
@Module({
  imports: [OperationsModule],
  controllers: [UpsertProductsController, CreateCartController, AddCartItemsController, GetCartController, PlaceCartController, GetOrderController],
  providers: [OrderPlacementClient],
})
export class OrdersModule {}
