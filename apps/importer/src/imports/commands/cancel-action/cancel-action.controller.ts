import { Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ExchangeRole, TrackerCancelRequested, TrackerEvents } from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { IMPORTER_CANCELLATIONS_QUEUE } from '../../../queues';
import { PRODUCER } from '../../batch/action-row';

/**
 * The tracker's `tracker.operation.cancel-requested`: every producer's queue receives it, and each
 * acts only on its own operations. The flag is committed here; the next batch stops the action.
 */
@MessageController({
  // Its own queue, so a cancel request never waits behind a backlog of batches.
  queue: IMPORTER_CANCELLATIONS_QUEUE,
  bindings: [{ exchange: ExchangeRole.Events, pattern: TrackerEvents.CancelRequested }],
  concurrency: 4,
})
export class CancelActionController {
  private readonly log = new Logger(CancelActionController.name);

  @EventPattern(TrackerEvents.CancelRequested)
  async cancelRequested(@Payload() e: TrackerCancelRequested, @Ctx() ctx: AmqpContext): Promise<void> {
    if (e.producer !== PRODUCER) return;
    // Recorded on a running action only (a finished one keeps its outcome). The batch in flight, if
    // any, holds the row lock, so this waits for it to commit and the next batch sees the flag.
    const [rows]: [Array<{ operation_id: string }>, number] = await ctx.manager.query(
      `UPDATE "importer"."async_action" SET "cancel_requested_at" = coalesce("cancel_requested_at", $3)
        WHERE "operation_id" = $1 AND "owner_id" = $2 AND "state" = 'running' RETURNING "operation_id"`,
      [e.operationId, e.ownerId, new Date(e.requestedAt)],
    );
    const recorded = rows.length > 0;
    this.log.log({
      msg: recorded ? 'cancel requested; the next batch ends the action' : 'cancel request for an action that is not running; ignored',
      operationId: e.operationId,
      event: 'cancel-requested',
      recorded,
    });
  }
}
