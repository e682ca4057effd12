import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { PlaceSalesTransactionRequest, PlaceSalesTransactionResult, SalesTransactionCommands, SalesTransactionRpc, SalesTransactionStepCommand } from '@asyncops/contracts';
import { AmqpContext, answering, Consumes, MessageController } from '@asyncops/messaging';
import { ORDER_PLACEMENT_COMMANDS_CONSUMER, ORDER_PLACEMENT_RPC_CONSUMER } from '../queues';
import { SalesTransactionsService } from './sales-transactions.service';

/** Revenue Cloud's place actions: the gateway's call, then the steps, one command each in its message's deduplicating transaction. */
@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
@Consumes(ORDER_PLACEMENT_COMMANDS_CONSUMER)
export class RevenueCloudController {
  constructor(private readonly sales: SalesTransactionsService) {}

  /** The synchronous part of a place action: record, operations and first step commit together. */
  @MessagePattern(SalesTransactionRpc.Place)
  place(@Payload() req: PlaceSalesTransactionRequest, @Ctx() ctx: AmqpContext): Promise<PlaceSalesTransactionResult> {
    return answering(() => this.sales.place(ctx.manager, ctx.outbox, req));
  }

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
