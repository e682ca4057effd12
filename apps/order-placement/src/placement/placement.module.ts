import { Module } from '@nestjs/common';
import { AddCartItemsController } from '../carts/commands/add-cart-items/add-cart-items.controller';
import { AddCartItemsHandler } from '../carts/commands/add-cart-items/add-cart-items.handler';
import { CreateCartController } from '../carts/commands/create-cart/create-cart.controller';
import { CreateCartHandler } from '../carts/commands/create-cart/create-cart.handler';
import { GetCartController } from '../carts/queries/get-cart/get-cart.controller';
import { GetOrderController } from '../orders/queries/get-order/get-order.controller';
import { GetOrderQuery } from '../orders/queries/get-order/get-order.query';
import { CancelPlacementController } from './commands/cancel-placement/cancel-placement.controller';
import { PlaceBatchController } from './commands/place-batch/place-batch.controller';
import { PlaceCartController } from './commands/place-cart/place-cart.controller';
import { PlacementService } from './placement.service';

/**
 * Native cart placement: a cart is filled, placed as an order in batches, and the order read
 * back. Carts and orders live in their own folders but exist only for this flow.
 */
@Module({
  controllers: [CreateCartController, AddCartItemsController, GetCartController, PlaceCartController, PlaceBatchController, CancelPlacementController, GetOrderController],
  providers: [CreateCartHandler, AddCartItemsHandler, GetOrderQuery, PlacementService],
})
export class PlacementModule {}
