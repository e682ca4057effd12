import { Module } from '@nestjs/common';
import { AddCartItemsHandler } from '../carts/commands/add-cart-items/add-cart-items.handler';
import { CreateCartHandler } from '../carts/commands/create-cart/create-cart.handler';
import { GetOrderQuery } from '../orders/queries/get-order/get-order.query';
import { CancelPlacementController, PlacementController } from './placement.controller';
import { PlacementService } from './placement.service';

/**
 * Native cart placement: a cart is filled, placed as an order in batches, and the order read
 * back. Carts and orders live in their own folders but exist only for this flow.
 */
@Module({
  controllers: [PlacementController, CancelPlacementController],
  providers: [CreateCartHandler, AddCartItemsHandler, GetOrderQuery, PlacementService],
})
export class PlacementModule {}
