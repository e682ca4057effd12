import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { ListOperationsRequest, OperationView, Page, TrackerRpc } from '@asyncops/contracts';
import { AmqpContext, InvalidCursorError, MessageController } from '@asyncops/messaging';
import { AsyncOperation } from '../../operations/async-operation.entity';
import { toOperationView } from '../../operations/operation-view';
import { TRACKER_RPC_CONSUMER } from '../../queues';

/** Newest first, keyset-paged on the auto-number so pages never skip or repeat under writes. */
@MessageController(TRACKER_RPC_CONSUMER)
export class ListOperationsController {
  @MessagePattern(TrackerRpc.ListOperations)
  async list(@Payload() req: ListOperationsRequest, @Ctx() ctx: AmqpContext): Promise<Page<OperationView>> {
    const q = ctx.manager.getRepository(AsyncOperation).createQueryBuilder('o').where('o.ownerId = :owner', { owner: req.ownerId });
    if (req.status?.length) q.andWhere('o.status IN (:...status)', { status: req.status });
    if (req.jobType?.length) q.andWhere('o.jobType IN (:...jobType)', { jobType: req.jobType });
    if (req.stepName) q.andWhere('o.stepName = :step', { step: req.stepName });
    if (req.correlationIdentifier) q.andWhere('o.correlationIdentifier = :corr', { corr: req.correlationIdentifier });
    if (req.parentOperationId) q.andWhere('o.parentOperationId = :parent', { parent: req.parentOperationId });
    if (req.referenceEntityId) q.andWhere('o.referenceEntityId = :ref', { ref: req.referenceEntityId });
    if (req.submittedFrom) q.andWhere('o.submittedAt >= :from', { from: new Date(req.submittedFrom) });
    if (req.submittedTo) q.andWhere('o.submittedAt < :to', { to: new Date(req.submittedTo) });
    if (req.cursor !== undefined) {
      const after = decodeCursor(req.cursor);
      q.andWhere('o.asyncOperationNumber < :after', { after });
    }
    const rows = await q.orderBy('o.asyncOperationNumber', 'DESC').take(req.limit + 1).getMany();
    const more = rows.length > req.limit;
    const items = rows.slice(0, req.limit);
    return {
      items: items.map(toOperationView),
      nextCursor: more ? encodeCursor(items[items.length - 1].asyncOperationNumber) : null,
    };
  }
}

export function encodeCursor(n: number): string {
  return Buffer.from(`n:${n}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^n:(\d{1,18})$/.exec(text);
  if (!m) throw new InvalidCursorError();
  return Number(m[1]);
}
