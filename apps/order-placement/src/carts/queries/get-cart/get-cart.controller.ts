import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { CartView, GetCartRequest, OrderPlacementRpc } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { CartNotFoundError } from '../../../errors';
import { findCart } from '../../../orders/order-row';
import { loadCartView } from '../../cart-view';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';

@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class GetCartController {
  @MessagePattern(OrderPlacementRpc.GetCart)
  get(@Payload() req: GetCartRequest, @Ctx() ctx: AmqpContext): Promise<CartView> {
    return answering(async () => {
      // Another owner's cart is indistinguishable from a missing one.
      const cart = await findCart(ctx.manager, req.cartId, req.ownerId);
      if (!cart) throw new CartNotFoundError(req.cartId);
      return loadCartView(ctx.manager, cart);
    });
  }
}
