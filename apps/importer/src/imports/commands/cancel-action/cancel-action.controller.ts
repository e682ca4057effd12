import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ExchangeRole, TrackerCancelRequested, TrackerEvents } from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { IMPORTER_CANCELLATIONS_QUEUE } from '../../../queues';
import { ImportService, PRODUCER } from '../../import.service';

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
  constructor(private readonly imports: ImportService) {}

  @EventPattern(TrackerEvents.CancelRequested)
  async cancelRequested(@Payload() e: TrackerCancelRequested, @Ctx() ctx: AmqpContext): Promise<void> {
    if (e.producer !== PRODUCER) return;
    await this.imports.requestCancel(ctx.manager, e.operationId, e.ownerId, new Date(e.requestedAt));
  }
}
