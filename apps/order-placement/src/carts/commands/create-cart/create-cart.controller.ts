import { randomUUID } from 'node:crypto';
import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { CartView, CreateCartRequest, OrderPlacementRpc } from '@asyncops/contracts';
import { AmqpContext, answering, Consumes, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { findCart, SCHEMA } from '../../../orders/order-row';
import { loadCartView } from '../../cart-view';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';

@Controller()
@Consumes(ORDER_PLACEMENT_RPC_CONSUMER)
@UseFilters(RethrowRpcExceptionFilter)
export class CreateCartController {
  @MessagePattern(OrderPlacementRpc.CreateCart)
  create(@Payload() req: CreateCartRequest, @Ctx() ctx: AmqpContext): Promise<CartView> {
    return answering(async () => {
      const id = randomUUID();
      await ctx.manager.query(
        `INSERT INTO ${SCHEMA}."cart" ("id", "owner_id", "currency", "status", "payment_method", "payment_term_days") VALUES ($1, $2, $3, 'Open', $4, $5)`,
        [id, req.ownerId, req.currency, req.paymentMethod ?? null, req.paymentTermDays ?? null],
      );
      const cart = await findCart(ctx.manager, id);
      return loadCartView(ctx.manager, cart as NonNullable<typeof cart>);
    });
  }
}
