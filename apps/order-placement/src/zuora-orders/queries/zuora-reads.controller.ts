import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { GetZuoraOrderRequest, GetZuoraSubscriptionRequest, ZuoraOrderRecord, ZuoraReadRpc, ZuoraSubscriptionRecord } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { ZuoraReads } from './zuora-reads';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../queues';

/** The gateway's Zuora reads: an order its async job created, and a subscription. */
@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class ZuoraReadsController {
  constructor(private readonly reads: ZuoraReads) {}

  @MessagePattern(ZuoraReadRpc.GetOrder)
  order(@Payload() req: GetZuoraOrderRequest, @Ctx() ctx: AmqpContext): Promise<ZuoraOrderRecord> {
    return answering(() => this.reads.order(ctx.manager, req.ownerId, req.orderNumber));
  }

  @MessagePattern(ZuoraReadRpc.GetSubscription)
  subscription(@Payload() req: GetZuoraSubscriptionRequest, @Ctx() ctx: AmqpContext): Promise<ZuoraSubscriptionRecord> {
    return answering(() => this.reads.subscription(ctx.manager, req.ownerId, req.subscriptionNumber));
  }
}
