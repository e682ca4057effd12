import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { TrackerCancelRequested, TrackerEvents } from '@asyncops/contracts';
import { AmqpContext, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { ImportService, PRODUCER } from '../../import.service';

/**
 * The tracker's `tracker.operation.cancel-requested`: every producer's queue receives it, and each
 * acts only on its own operations. The flag is committed here; the next batch stops the action.
 */
@Controller()
@UseFilters(RethrowRpcExceptionFilter)
export class CancelActionController {
  constructor(private readonly imports: ImportService) {}

  @EventPattern(TrackerEvents.CancelRequested)
  async cancelRequested(@Payload() e: TrackerCancelRequested, @Ctx() ctx: AmqpContext): Promise<void> {
    if (e.producer !== PRODUCER) return;
    await this.imports.requestCancel(ctx.manager, e.operationId, e.ownerId, new Date(e.requestedAt));
  }
}
