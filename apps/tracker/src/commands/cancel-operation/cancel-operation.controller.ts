import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { CancelOperationRequest, OperationView, TrackerEvents, TrackerRpc } from '@asyncops/contracts';
import { isTerminalStatus } from '@asyncops/domain';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { OperationFinishedError, OperationNotFoundError } from '../../operations/tracker-errors';
import { AsyncOperation } from '../../operations/async-operation.entity';
import { OperationLifecycle } from '../../operations/operation-lifecycle';
import { toOperationView } from '../../operations/operation-view';
import { TRACKER_RPC_CONSUMER } from '../../queues';

/**
 * Best-effort cancellation: the tracker records the request and tells the producer, which stops at
 * its next batch boundary and reports `Cancelled` as a normal lifecycle event. A finished operation
 * cannot be cancelled (CONFLICT); asking again while the first request is pending changes nothing.
 */
@MessageController(TRACKER_RPC_CONSUMER)
export class CancelOperationController {
  constructor(private readonly lifecycle: OperationLifecycle) {}

  @MessagePattern(TrackerRpc.CancelOperation)
  async cancel(@Payload() req: CancelOperationRequest, @Ctx() ctx: AmqpContext): Promise<OperationView> {
    const op = await this.lifecycle.lock(ctx.manager, req.operationId);
    if (!op || op.ownerId !== req.ownerId) throw new OperationNotFoundError(`operation ${req.operationId}`);
    if (isTerminalStatus(op.status)) {
      throw new OperationFinishedError(req.operationId, op.status);
    }
    if (op.cancelRequestedAt) return toOperationView(op);
    const now = new Date();
    await ctx.manager.update(AsyncOperation, op.id, { cancelRequestedAt: now, updatedAt: now, version: op.version + 1 });
    Object.assign(op, { cancelRequestedAt: now, updatedAt: now, version: op.version + 1 });
    await ctx.outbox.addEvent(TrackerEvents.CancelRequested, {
      operationId: op.id,
      ownerId: op.ownerId,
      producer: op.producer,
      reason: req.reason,
      requestedAt: now.toISOString(),
    });
    await this.lifecycle.emitChanged(ctx.manager, ctx.outbox, op);
    return toOperationView(op);
  }
}
