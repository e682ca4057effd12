import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  AddCartItemsRequest,
  AddCartItemsResult,
  CartView,
  CreateCartRequest,
  ExchangeRole,
  GetCartRequest,
  GetOrderRequest,
  OrderPlacementCommands,
  OrderPlacementRpc,
  OrderView,
  PlaceBatchCommand,
  PlaceCartRequest,
  PlaceCartResult,
  TrackerCancelRequested,
  TrackerEvents,
  WithdrawHeldEventsRequest,
  WithdrawHeldEventsResult,
} from '@asyncops/contracts';
import { AmqpContext, answering, Consumes, MessageController, REPEATABLE_REQUEST } from '@asyncops/messaging';
import { loadCartView } from '../carts/cart-view';
import { AddCartItemsHandler } from '../carts/commands/add-cart-items/add-cart-items.handler';
import { CreateCartHandler } from '../carts/commands/create-cart/create-cart.handler';
import { CartNotFoundError } from '../errors';
import { findCart } from '../orders/order-row';
import { GetOrderQuery } from '../orders/queries/get-order/get-order.query';
import { PRODUCER } from '../producer';
import { ORDER_PLACEMENT_CANCELLATIONS_QUEUE, ORDER_PLACEMENT_COMMANDS_CONSUMER, ORDER_PLACEMENT_RPC_CONSUMER } from '../queues';
import { PlacementService } from './placement.service';
import { placeBatchMessage } from './steps/batch-steps';

/** Carts, their placement (the gateway's call, then one command per batch) and the orders placed. */
@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
@Consumes(ORDER_PLACEMENT_COMMANDS_CONSUMER)
export class PlacementController {
  constructor(
    private readonly createCart: CreateCartHandler,
    private readonly addCartItems: AddCartItemsHandler,
    private readonly placement: PlacementService,
    private readonly getOrder: GetOrderQuery,
  ) {}

  @MessagePattern(OrderPlacementRpc.CreateCart)
  create(@Payload() req: CreateCartRequest, @Ctx() ctx: AmqpContext): Promise<CartView> {
    return answering(() => this.createCart.execute(ctx.manager, req));
  }

  @MessagePattern(OrderPlacementRpc.AddCartItems)
  add(@Payload() req: AddCartItemsRequest, @Ctx() ctx: AmqpContext): Promise<AddCartItemsResult> {
    return answering(() => this.addCartItems.execute(ctx.manager, req));
  }

  @MessagePattern(OrderPlacementRpc.GetCart)
  cart(@Payload() req: GetCartRequest, @Ctx() ctx: AmqpContext): Promise<CartView> {
    return answering(async () => {
      // Another owner's cart is indistinguishable from a missing one.
      const cart = await findCart(ctx.manager, req.cartId, req.ownerId);
      if (!cart) throw new CartNotFoundError(req.cartId);
      return loadCartView(ctx.manager, cart);
    });
  }

  /** placeAsync's synchronous part: creates the order and queues its first batch, then answers. */
  @MessagePattern(OrderPlacementRpc.PlaceCart)
  place(@Payload() req: PlaceCartRequest, @Ctx() ctx: AmqpContext): Promise<PlaceCartResult> {
    return answering(() => this.placement.submit(ctx.manager, ctx.outbox, req));
  }

  /** After the tracker recorded a small placement's events: their held-back outbox copies are not needed. */
  @MessagePattern(OrderPlacementRpc.WithdrawHeldEvents, REPEATABLE_REQUEST)
  withdraw(@Payload() req: WithdrawHeldEventsRequest, @Ctx() ctx: AmqpContext): Promise<WithdrawHeldEventsResult> {
    return answering(() => this.placement.withdrawHeldEvents(ctx.manager, req));
  }

  /**
   * One batch per message, in the message's deduplicating transaction; acked after it commits.
   * The next batch then runs at once on this consumer, as the handling of its own (held-back)
   * command, and so on: each in its own transaction, the command withdrawn from the outbox in it.
   */
  @EventPattern(OrderPlacementCommands.PlaceBatch)
  async placeBatch(@Payload() cmd: PlaceBatchCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.runChained(cmd, ctx, 0);
  }

  private async runChained(cmd: PlaceBatchCommand, ctx: AmqpContext, chained: number): Promise<void> {
    const next = await this.placement.runBatch(ctx.manager, ctx.outbox, cmd, ctx.message, chained);
    if (!next) return;
    const { messageId, routingKey } = placeBatchMessage(next);
    ctx.continueWith(messageId, routingKey, (c) => this.runChained(next, c, chained + 1));
  }

  @MessagePattern(OrderPlacementRpc.GetOrder)
  order(@Payload() req: GetOrderRequest, @Ctx() ctx: AmqpContext): Promise<OrderView> {
    return answering(() => this.getOrder.execute(ctx.manager, req));
  }
}

/**
 * The tracker's `tracker.operation.cancel-requested`: every producer's queue receives it, and each
 * acts only on its own operations. Cart placements stop at their next batch; Zuora jobs and the
 * Revenue Cloud place actions run in one message each and end as they would have.
 */
@MessageController({
  // Its own queue, so a cancel request never waits behind a backlog of batches.
  queue: ORDER_PLACEMENT_CANCELLATIONS_QUEUE,
  bindings: [{ exchange: ExchangeRole.Events, pattern: TrackerEvents.CancelRequested }],
  concurrency: 4,
})
export class CancelPlacementController {
  constructor(private readonly placement: PlacementService) {}

  @EventPattern(TrackerEvents.CancelRequested)
  async cancelRequested(@Payload() e: TrackerCancelRequested, @Ctx() ctx: AmqpContext): Promise<void> {
    if (e.producer !== PRODUCER) return;
    await this.placement.requestCancel(ctx.manager, e.operationId, e.ownerId, new Date(e.requestedAt));
  }
}
