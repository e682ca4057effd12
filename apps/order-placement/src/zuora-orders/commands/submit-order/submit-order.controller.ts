import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { SubmitZuoraOrderRequest, SubmitZuoraOrderResult, ZuoraOrderRpc } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { ZuoraOrdersService } from '../../zuora-orders.service';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';

/** The synchronous part of POST /v1/async/orders(/preview): the job is durable when this answers. */
@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class SubmitZuoraOrderController {
  constructor(private readonly orders: ZuoraOrdersService) {}

  @MessagePattern(ZuoraOrderRpc.SubmitOrder)
  submit(@Payload() req: SubmitZuoraOrderRequest, @Ctx() ctx: AmqpContext): Promise<SubmitZuoraOrderResult> {
    return answering(() => this.orders.submit(ctx.manager, ctx.outbox, req));
  }
}
