import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ProcessZuoraOrderCommand, ZuoraOrderCommands } from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { ZuoraOrdersService } from '../../zuora-orders.service';
import { ORDER_PLACEMENT_COMMANDS_CONSUMER } from '../../../queues';

/** The job, in its message's deduplicating transaction; acked after it commits. */
@MessageController(ORDER_PLACEMENT_COMMANDS_CONSUMER)
export class ProcessZuoraOrderController {
  constructor(private readonly orders: ZuoraOrdersService) {}

  @EventPattern(ZuoraOrderCommands.ProcessOrder)
  async process(@Payload() cmd: ProcessZuoraOrderCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.orders.process(ctx.manager, ctx.outbox, cmd, ctx.message);
  }
}
