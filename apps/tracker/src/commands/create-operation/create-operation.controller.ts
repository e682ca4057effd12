import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { CreateOperationRequest, OperationView, TrackerRpc } from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { OperationExistsError, ParentOperationNotFoundError } from '../../operations/tracker-errors';
import { AsyncOperation } from '../../operations/async-operation.entity';
import { OperationLifecycle } from '../../operations/operation-lifecycle';
import { toOperationView } from '../../operations/operation-view';
import { TRACKER_RPC_CONSUMER } from '../../queues';

/**
 * Creates an operation synchronously for a caller that must answer with its id at once
 * (read-your-writes). Retrying with the same id returns the same record.
 */
@MessageController(TRACKER_RPC_CONSUMER)
export class CreateOperationController {
  constructor(private readonly lifecycle: OperationLifecycle) {}

  @MessagePattern(TrackerRpc.CreateOperation)
  async create(@Payload() req: CreateOperationRequest, @Ctx() ctx: AmqpContext): Promise<OperationView> {
    // A client may only hang its operation under one of its own: another owner's id is not found.
    if (req.parentOperationId && !(await ctx.manager.exists(AsyncOperation, { where: { id: req.parentOperationId, ownerId: req.ownerId } }))) {
      throw new ParentOperationNotFoundError();
    }
    const { operation } = await this.lifecycle.create(ctx.manager, ctx.outbox, { ...req, submittedAt: new Date() });
    if (operation.ownerId !== req.ownerId) throw new OperationExistsError(req.operationId);
    return toOperationView(operation);
  }
}
