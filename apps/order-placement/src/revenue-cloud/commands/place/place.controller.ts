import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { PlaceSalesTransactionRequest, PlaceSalesTransactionResult, SalesTransactionRpc } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { SalesTransactionsService } from '../../sales-transactions.service';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';

/** The synchronous part of a Revenue Cloud place action: record, operations and first step commit together. */
@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class PlaceSalesTransactionController {
  constructor(private readonly sales: SalesTransactionsService) {}

  @MessagePattern(SalesTransactionRpc.Place)
  place(@Payload() req: PlaceSalesTransactionRequest, @Ctx() ctx: AmqpContext): Promise<PlaceSalesTransactionResult> {
    return answering(() => this.sales.place(ctx.manager, ctx.outbox, req));
  }
}
