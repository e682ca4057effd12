import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SalesTransactionCommands, SalesTransactionStepCommand } from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { SalesTransactionsService } from '../../sales-transactions.service';
import { ORDER_PLACEMENT_COMMANDS_CONSUMER } from '../../../queues';

/** The PlaceOrderPersistSync / PlaceQuotePersistSync step of the parent. */
@MessageController(ORDER_PLACEMENT_COMMANDS_CONSUMER)
export class PersistSalesTransactionController {
  constructor(private readonly sales: SalesTransactionsService) {}

  @EventPattern(SalesTransactionCommands.Persist)
  async persist(@Payload() cmd: SalesTransactionStepCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.sales.persist(ctx.manager, ctx.outbox, cmd);
  }
}
