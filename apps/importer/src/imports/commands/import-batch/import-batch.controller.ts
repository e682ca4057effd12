import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ImportBatchCommand, ImporterCommands } from '@asyncops/contracts';
import { AmqpContext, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { ImportService } from '../../import.service';

/** One batch per message, in the message's deduplicating transaction; acked after it commits. */
@Controller()
@UseFilters(RethrowRpcExceptionFilter)
export class ImportBatchController {
  constructor(private readonly imports: ImportService) {}

  @EventPattern(ImporterCommands.ImportBatch)
  async importBatch(@Payload() cmd: ImportBatchCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.imports.runBatch(ctx.manager, ctx.outbox, cmd, ctx.message);
  }
}
