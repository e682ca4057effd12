import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { ItemFailureView, ListItemFailuresRequest, Page, TrackerRpc } from '@asyncops/contracts';
import { AmqpContext, InvalidCursorError, MessageController } from '@asyncops/messaging';
import { OperationNotFoundError } from '../../operations/tracker-errors';
import { MoreThan } from 'typeorm';
import { AsyncOperation } from '../../operations/async-operation.entity';
import { ItemFailureRecord } from '../../operations/item-failure.entity';
import { toItemFailureView } from '../../operations/operation-view';
import { TRACKER_RPC_CONSUMER } from '../../queues';

@MessageController(TRACKER_RPC_CONSUMER)
export class ListItemFailuresController {
  @MessagePattern(TrackerRpc.ListItemFailures)
  async list(@Payload() req: ListItemFailuresRequest, @Ctx() ctx: AmqpContext): Promise<Page<ItemFailureView>> {
    const owned = await ctx.manager.exists(AsyncOperation, { where: { id: req.operationId, ownerId: req.ownerId } });
    if (!owned) throw new OperationNotFoundError(`operation ${req.operationId}`);
    if (req.cursor !== undefined && !/^\d{1,18}$/.test(req.cursor)) throw new InvalidCursorError();
    const rows = await ctx.manager.find(ItemFailureRecord, {
      where: { operationId: req.operationId, ...(req.cursor ? { id: MoreThan(req.cursor) } : {}) },
      order: { id: 'ASC' },
      take: req.limit + 1,
    });
    const more = rows.length > req.limit;
    const items = rows.slice(0, req.limit);
    return { items: items.map(toItemFailureView), nextCursor: more ? items[items.length - 1].id : null };
  }
}
