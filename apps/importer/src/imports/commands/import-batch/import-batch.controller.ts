import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ImportBatchCommand, ImporterCommands } from '@asyncops/contracts';
import { AmqpContext, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { BatchRunner } from '../../batch/batch-runner';

/** One batch per message, in the message's deduplicating transaction; acked after it commits. */
@Controller()
@UseFilters(RethrowRpcExceptionFilter)
export class ImportBatchController {
  constructor(private readonly batches: BatchRunner) {}

  @EventPattern(ImporterCommands.ImportBatch)
  async importBatch(@Payload() cmd: ImportBatchCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.batches.runBatch(ctx.manager, ctx.outbox, cmd, ctx.message);
  }
}
