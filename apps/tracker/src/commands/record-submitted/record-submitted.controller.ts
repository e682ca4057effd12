import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { OperationSubmitted, OperationView, RecordSubmittedRequest, RpcErrorCode, TrackerRpc } from '@asyncops/contracts';
import { AmqpContext, MessageController, ServiceError } from '@asyncops/messaging';
import { AsyncOperation } from '../../operations/async-operation.entity';
import { OperationLifecycle } from '../../operations/operation-lifecycle';
import { toOperationView } from '../../operations/operation-view';
import { OperationExistsError, ParentOperationNotFoundError } from '../../operations/tracker-errors';
import { TRACKER_RPC_CONSUMER } from '../../queues';

/**
 * Records a job its owning service has just submitted, for a caller that answers with it at once
 * (read-your-writes). The payloads are the service's `operation.submitted` events, forwarded
 * unchanged; each is recorded exactly as the event would be (submitted at its `occurredAt`), so
 * whichever copy arrives second changes nothing.
 */
@MessageController(TRACKER_RPC_CONSUMER)
export class RecordSubmittedController {
  constructor(private readonly lifecycle: OperationLifecycle) {}

  @MessagePattern(TrackerRpc.RecordSubmitted)
  async record(@Payload() req: RecordSubmittedRequest, @Ctx() ctx: AmqpContext): Promise<OperationView> {
    const parent = req.operation;
    for (const child of req.children ?? []) {
      if (child.parentOperationId !== parent.operationId || child.ownerId !== parent.ownerId || child.producer !== parent.producer) {
        throw new ServiceError('CHILD_NOT_OF_JOB', RpcErrorCode.Invalid, `children: ${child.operationId} is not a child of ${parent.operationId} with its owner and producer`, {
          codeInReply: false,
        });
      }
    }
    // A job may only hang under an operation of its own owner: another owner's id is not found.
    if (parent.parentOperationId && !(await ctx.manager.exists(AsyncOperation, { where: { id: parent.parentOperationId, ownerId: parent.ownerId } }))) {
      throw new ParentOperationNotFoundError();
    }
    const recorded = await this.recordOne(ctx, parent);
    for (const child of req.children ?? []) await this.recordOne(ctx, child);
    // Children roll up into the parent: its view is read after they are recorded.
    return toOperationView(req.children?.length ? ((await this.lifecycle.lock(ctx.manager, parent.operationId)) as AsyncOperation) : recorded);
  }

  private async recordOne(ctx: AmqpContext, submitted: OperationSubmitted): Promise<AsyncOperation> {
    const { operation } = await this.lifecycle.create(ctx.manager, ctx.outbox, { ...submitted, submittedAt: new Date(submitted.occurredAt) });
    if (operation.ownerId !== submitted.ownerId) throw new OperationExistsError(submitted.operationId);
    return operation;
  }
}
