import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { GetOperationRequest, OperationView, TrackerRpc } from '@asyncops/contracts';
import { AmqpContext, MessageController, READ_ONLY_REQUEST } from '@asyncops/messaging';
import { OperationNotFoundError } from '../../operations/tracker-errors';
import { AsyncOperation } from '../../operations/async-operation.entity';
import { toOperationView } from '../../operations/operation-view';
import { TRACKER_RPC_CONSUMER } from '../../queues';

@MessageController(TRACKER_RPC_CONSUMER)
export class GetOperationController {
  // One read on the pool, no transaction and no stored reply: every status read and long-poll of
  // every dialect comes here. Marking it viewed is one idempotent statement of its own.
  @MessagePattern(TrackerRpc.GetOperation, READ_ONLY_REQUEST)
  async get(@Payload() req: GetOperationRequest, @Ctx() ctx: AmqpContext): Promise<OperationView> {
    const repo = ctx.manager.getRepository(AsyncOperation);
    // Another owner's record is indistinguishable from a missing one.
    const op = await repo.findOne({ where: { id: req.operationId, ownerId: req.ownerId } });
    if (!op) throw new OperationNotFoundError(`operation ${req.operationId}`);
    if (req.markViewed) {
      const now = new Date();
      await repo.update(op.id, { lastViewedDate: now, lastReferencedDate: now });
      Object.assign(op, { lastViewedDate: now, lastReferencedDate: now });
    }
    return toOperationView(op);
  }
}
