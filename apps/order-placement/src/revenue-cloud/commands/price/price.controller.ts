import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SalesTransactionCommands, SalesTransactionStepCommand } from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { SalesTransactionsService } from '../../sales-transactions.service';
import { ORDER_PLACEMENT_COMMANDS_CONSUMER } from '../../../queues';

/** The PlaceOrderPriceAsync / PlaceQuotePriceAsync child, in its message's transaction. */
@MessageController(ORDER_PLACEMENT_COMMANDS_CONSUMER)
export class PriceSalesTransactionController {
  constructor(private readonly sales: SalesTransactionsService) {}

  @EventPattern(SalesTransactionCommands.Price)
  async price(@Payload() cmd: SalesTransactionStepCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.sales.price(ctx.manager, ctx.outbox, cmd, ctx.message);
  }
}
