import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { PlaceSalesTransactionRequest, PlaceSalesTransactionResult, SalesTransactionRpc } from '@asyncops/contracts';
import { AmqpContext, answering, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { SalesTransactionsService } from '../../sales-transactions.service';

/** The synchronous part of a Revenue Cloud place action: record, operations and first step commit together. */
@Controller()
@UseFilters(RethrowRpcExceptionFilter)
export class PlaceSalesTransactionController {
  constructor(private readonly sales: SalesTransactionsService) {}

  @MessagePattern(SalesTransactionRpc.Place)
  place(@Payload() req: PlaceSalesTransactionRequest, @Ctx() ctx: AmqpContext): Promise<PlaceSalesTransactionResult> {
    return answering(() => this.sales.place(ctx.manager, ctx.outbox, req));
  }
}
