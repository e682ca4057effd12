import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { IngestPendingOrdersRequest, IngestPendingOrdersResult, PendingOrderRpc } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { PendingOrdersService } from '../../pending-orders.service';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';

/** Records and their conversion commands commit together: a created record is always converted. */
@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class IngestPendingOrdersController {
  constructor(private readonly pending: PendingOrdersService) {}

  @MessagePattern(PendingOrderRpc.Ingest)
  ingest(@Payload() req: IngestPendingOrdersRequest, @Ctx() ctx: AmqpContext): Promise<IngestPendingOrdersResult> {
    return answering(() => this.pending.ingest(ctx.manager, ctx.outbox, req));
  }
}
