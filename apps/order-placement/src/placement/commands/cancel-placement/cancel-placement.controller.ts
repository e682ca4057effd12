import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ExchangeRole, TrackerCancelRequested, TrackerEvents } from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { ORDER_PLACEMENT_CANCELLATIONS_QUEUE } from '../../../queues';
import { PRODUCER } from '../../../producer';
import { PlacementService } from '../../placement.service';

/**
 * The tracker's `tracker.operation.cancel-requested`: every producer's queue receives it, and each
 * acts only on its own operations. Cart placements stop at their next batch; Zuora jobs and the
 * Revenue Cloud place actions run in one message each and end as they would have.
 */
@MessageController({
  // Its own queue, so a cancel request never waits behind a backlog of batches.
  queue: ORDER_PLACEMENT_CANCELLATIONS_QUEUE,
  bindings: [{ exchange: ExchangeRole.Events, pattern: TrackerEvents.CancelRequested }],
  concurrency: 4,
})
export class CancelPlacementController {
  constructor(private readonly placement: PlacementService) {}

  @EventPattern(TrackerEvents.CancelRequested)
  async cancelRequested(@Payload() e: TrackerCancelRequested, @Ctx() ctx: AmqpContext): Promise<void> {
    if (e.producer !== PRODUCER) return;
    await this.placement.requestCancel(ctx.manager, e.operationId, e.ownerId, new Date(e.requestedAt));
  }
}
