import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { IngestPendingOrdersRequest, IngestPendingOrdersResult, PendingOrderRpc } from '@asyncops/contracts';
import { AmqpContext, answering, Consumes, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { PendingOrdersService } from '../../pending-orders.service';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';

/** Records and their conversion commands commit together: a created record is always converted. */
@Controller()
@Consumes(ORDER_PLACEMENT_RPC_CONSUMER)
@UseFilters(RethrowRpcExceptionFilter)
export class IngestPendingOrdersController {
  constructor(private readonly pending: PendingOrdersService) {}

  @MessagePattern(PendingOrderRpc.Ingest)
  ingest(@Payload() req: IngestPendingOrdersRequest, @Ctx() ctx: AmqpContext): Promise<IngestPendingOrdersResult> {
    return answering(() => this.pending.ingest(ctx.manager, ctx.outbox, req));
  }
}
