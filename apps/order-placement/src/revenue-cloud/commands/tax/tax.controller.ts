import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SalesTransactionCommands, SalesTransactionStepCommand } from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { SalesTransactionsService } from '../../sales-transactions.service';
import { ORDER_PLACEMENT_COMMANDS_CONSUMER } from '../../../queues';

/** The PlaceOrderTaxAsync / PlaceQuoteTaxAsync child, in its message's transaction. */
@MessageController(ORDER_PLACEMENT_COMMANDS_CONSUMER)
export class TaxSalesTransactionController {
  constructor(private readonly sales: SalesTransactionsService) {}

  @EventPattern(SalesTransactionCommands.Tax)
  async tax(@Payload() cmd: SalesTransactionStepCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.sales.tax(ctx.manager, ctx.outbox, cmd, ctx.message);
  }
}
