import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ExchangeRole, IMPORTER_COMMANDS_PATTERN, ImportBatchCommand, ImporterCommands } from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { IMPORTER_COMMANDS_QUEUE } from '../../../queues';
import { BatchRunner } from '../../batch/batch-runner';

/** One batch per message, in the message's deduplicating transaction; acked after it commits. */
@MessageController({
  queue: IMPORTER_COMMANDS_QUEUE,
  // Batches of one action run one after another (per-operation lanes and the action row lock);
  // different actions run side by side.
  bindings: [{ exchange: ExchangeRole.Commands, pattern: IMPORTER_COMMANDS_PATTERN }],
})
export class ImportBatchController {
  constructor(private readonly batches: BatchRunner) {}

  @EventPattern(ImporterCommands.ImportBatch)
  async importBatch(@Payload() cmd: ImportBatchCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.batches.runBatch(ctx.manager, ctx.outbox, cmd, ctx.message);
  }
}
