import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { OperationEvents, OperationSubmitted, OperationView, RecordSubmittedRequest, RpcErrorCode, TrackerRpc, validateMessage } from '@asyncops/contracts';
import { AmqpContext, MessageController, ServiceError, UnauthorizedSenderError } from '@asyncops/messaging';
import { ContextLogger, JsonLogger } from '@asyncops/platform';
import { AsyncOperation } from '../../operations/async-operation.entity';
import { LifecycleBatch } from '../../operations/lifecycle-batch';
import { OperationLifecycle } from '../../operations/operation-lifecycle';
import { toOperationView } from '../../operations/operation-view';
import { OperationExistsError, ParentOperationNotFoundError } from '../../operations/tracker-errors';
import { ProducerAuthorization } from '../../producers/producer-authorization';
import { TRACKER_EVENTS_QUEUE, TRACKER_RPC_CONSUMER } from '../../queues';

/**
 * Records a job its owning service has just submitted, for a caller that answers with it at once
 * (read-your-writes). The payloads are the service's `operation.submitted` events, forwarded
 * unchanged; each is recorded exactly as the event would be (submitted at its `occurredAt`), so
 * whichever copy arrives second changes nothing.
 */
@MessageController(TRACKER_RPC_CONSUMER)
export class RecordSubmittedController {
  private readonly log: ContextLogger;

  constructor(
    private readonly lifecycle: OperationLifecycle,
    private readonly batch: LifecycleBatch,
    private readonly producers: ProducerAuthorization,
    logger: JsonLogger,
  ) {
    this.log = logger.child('RecordSubmitted');
  }

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
    if (req.events?.length && this.mayRelayEvents(ctx, parent)) return this.recordDone(ctx, req);
    const recorded = await this.recordOne(ctx, parent);
    for (const child of req.children ?? []) await this.recordOne(ctx, child);
    // Children roll up into the parent: its view is read after they are recorded.
    return toOperationView(req.children?.length ? ((await this.lifecycle.lock(ctx.manager, parent.operationId)) as AsyncOperation) : recorded);
  }

  /**
   * A job its service has already run (`events`): the submit and its lifecycle events are applied
   * as the lifecycle consumer would apply them in one batch, and the events' message ids are
   * recorded as that consumer's processed messages, in this transaction: their outbox copies,
   * arriving later, change nothing, as a redelivery would not.
   */
  private async recordDone(ctx: AmqpContext, req: RecordSubmittedRequest): Promise<OperationView> {
    const job = req.operation;
    const invalid = (message: string) => new ServiceError('EVENT_NOT_OF_JOB', RpcErrorCode.Invalid, message, { codeInReply: false });
    if (req.children?.length) throw invalid('events: a job with children reports its events through the outbox only');
    const events = (req.events ?? []).map((e, i) => {
      const v = validateMessage(e.routingKey, e.payload);
      if (!v.ok) throw invalid(`events.${i}: ${v.errors.join('; ')}`);
      if (v.value.operationId.toLowerCase() !== job.operationId.toLowerCase()) throw invalid(`events.${i}: not an event of ${job.operationId}`);
      return { messageId: e.messageId, routingKey: e.routingKey as string, payload: v.value as unknown };
    });
    // The events' ids are recorded as processed in the statement that takes the family locks; events recorded before are skipped.
    const ops = await this.batch.apply([{ routingKey: OperationEvents.Submitted, payload: job }, ...events], ctx.manager, ctx.outbox, TRACKER_EVENTS_QUEUE);
    const op = ops.get(job.operationId.toLowerCase());
    // Another owner's or producer's operation of that id: nothing of this transaction stays.
    if (!op || op.ownerId !== job.ownerId || op.producer !== job.producer) throw new OperationExistsError(job.operationId);
    return toOperationView(op);
  }

  /**
   * Events recorded here are marked processed, so the producer's own copies then change nothing:
   * the caller's broker user must be one that may report for the job's producer (PRODUCER_BROKER_USERS),
   * as it would have to be to publish them. Otherwise only the submit is recorded and the
   * producer's held-back copies finish the operation.
   */
  private mayRelayEvents(ctx: AmqpContext, job: OperationSubmitted): boolean {
    try {
      this.producers.check(ctx.message.userId, job.producer, job.operationId);
      return true;
    } catch (e) {
      if (!(e instanceof UnauthorizedSenderError)) throw e;
      this.log.warn({ msg: 'events with a submit not recorded: the caller may not report for the producer', operationId: job.operationId, producer: job.producer, brokerUser: ctx.message.userId, reason: e.message, event: 'submit-events-refused' });
      return false;
    }
  }

  private async recordOne(ctx: AmqpContext, submitted: OperationSubmitted): Promise<AsyncOperation> {
    const { operation } = await this.lifecycle.create(ctx.manager, ctx.outbox, { ...submitted, submittedAt: new Date(submitted.occurredAt) });
    if (operation.ownerId !== submitted.ownerId) throw new OperationExistsError(submitted.operationId);
    return operation;
  }
}
