import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { PlaceSalesTransactionRequest, PlaceSalesTransactionResult, SalesTransactionCommands, SalesTransactionRpc, SalesTransactionStepCommand } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { ORDER_PLACEMENT_COMMANDS_CONSUMER, ORDER_PLACEMENT_RPC_CONSUMER } from '../queues';
import { SalesTransactionsService } from './sales-transactions.service';

/** The synchronous part of a Revenue Cloud place action: record, operations and first step commit together. */
@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class PlaceSalesTransactionController {
  constructor(private readonly sales: SalesTransactionsService) {}

  @MessagePattern(SalesTransactionRpc.Place)
  place(@Payload() req: PlaceSalesTransactionRequest, @Ctx() ctx: AmqpContext): Promise<PlaceSalesTransactionResult> {
    return answering(() => this.sales.place(ctx.manager, ctx.outbox, req));
  }
}

/** The place action's steps, one command each, in its message's deduplicating transaction. */
@MessageController(ORDER_PLACEMENT_COMMANDS_CONSUMER)
export class SalesTransactionStepsController {
  constructor(private readonly sales: SalesTransactionsService) {}

  /** The PlaceOrderPriceAsync / PlaceQuotePriceAsync child. */
  @EventPattern(SalesTransactionCommands.Price)
  async price(@Payload() cmd: SalesTransactionStepCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.sales.price(ctx.manager, ctx.outbox, cmd, ctx.message);
  }

  /** The PlaceOrderTaxAsync / PlaceQuoteTaxAsync child. */
  @EventPattern(SalesTransactionCommands.Tax)
  async tax(@Payload() cmd: SalesTransactionStepCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.sales.tax(ctx.manager, ctx.outbox, cmd, ctx.message);
  }

  /** The PlaceOrderPersistSync / PlaceQuotePersistSync step of the parent. */
  @EventPattern(SalesTransactionCommands.Persist)
  async persist(@Payload() cmd: SalesTransactionStepCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.sales.persist(ctx.manager, ctx.outbox, cmd);
  }
}
