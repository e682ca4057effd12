import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { ListOperationEventsRequest, LiveEventsRpc, OperationEventsPage } from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { OperationEventLog } from './operation-event-log';
import { TRACKER_RPC_CONSUMER } from '../queues';

/**
 * Replay for the gateway's event stream: number what has committed, then answer from the log.
 * Streams read on every heartbeat; a read with nothing of its owner's to number takes neither the
 * sequencer's lock nor a write (the maintenance loop numbers everything else within a second).
 */
@MessageController(TRACKER_RPC_CONSUMER)
export class ListOperationEventsController {
  constructor(private readonly log: OperationEventLog) {}

  @MessagePattern(LiveEventsRpc.ListOperationEvents)
  async list(@Payload() req: ListOperationEventsRequest, @Ctx() ctx: AmqpContext): Promise<OperationEventsPage> {
    if (await this.log.hasUnsequenced(ctx.manager, req.ownerId)) await this.log.sequence();
    return this.log.list(ctx.manager, req);
  }
}
