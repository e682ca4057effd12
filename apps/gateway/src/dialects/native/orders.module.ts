import { Module } from '@nestjs/common';
import { Dialect, DialectRegistry } from '../../core/surfaces/dialect-registry';
import { TrackerModule } from '../../core/tracker/tracker.module';
import { AddCartItemsController } from './carts/commands/add-cart-items/add-cart-items.controller';
import { CreateCartController } from './carts/commands/create-cart/create-cart.controller';
import { PlaceCartController } from './placement/commands/place-cart/place-cart.controller';
import { GetCartController } from './carts/queries/get-cart/get-cart.controller';
import { OrderPlacementClient } from './order-placement-client';
import { GetOrderController } from './orders/queries/get-order/get-order.controller';
import { UpsertProductsController } from './products/commands/upsert-products/upsert-products.controller';

/** Bulk cart items and product upserts carry thousands of items per call. */
export const NATIVE_BULK_JSON_ROUTES: readonly RegExp[] = [/^\/api\/v1\/carts\/[^/]+\/items\/?$/, /^\/api\/v1\/products\/?$/];

/** The native API answers in the core's problem+json with UUID request ids: only its bulk routes need saying. */
export const NATIVE_DIALECT: Dialect = { name: 'native', bulkJsonRoutes: NATIVE_BULK_JSON_ROUTES };

/** The native products, carts and orders API; every read and write is a request to order-placement. */
@Module({
  imports: [TrackerModule],
  controllers: [UpsertProductsController, CreateCartController, AddCartItemsController, GetCartController, PlaceCartController, GetOrderController],
  providers: [OrderPlacementClient],
})
export class OrdersModule {
  constructor(dialects: DialectRegistry) {
    dialects.register(NATIVE_DIALECT);
  }
}
