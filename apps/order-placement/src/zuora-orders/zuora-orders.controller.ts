import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  GetZuoraOrderRequest,
  GetZuoraSubscriptionRequest,
  ProcessZuoraOrderCommand,
  SubmitZuoraOrderRequest,
  SubmitZuoraOrderResult,
  ZuoraOrderCommands,
  ZuoraOrderRecord,
  ZuoraOrderRpc,
  ZuoraReadRpc,
  ZuoraSubscriptionRecord,
} from '@asyncops/contracts';
import { AmqpContext, answering, Consumes, MessageController } from '@asyncops/messaging';
import { ORDER_PLACEMENT_COMMANDS_CONSUMER, ORDER_PLACEMENT_RPC_CONSUMER } from '../queues';
import { ZuoraReads } from './queries/zuora-reads';
import { ZuoraOrdersService } from './zuora-orders.service';

/** Zuora's order jobs, submitted by the gateway and processed as commands, and the orders and subscriptions they created. */
@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
@Consumes(ORDER_PLACEMENT_COMMANDS_CONSUMER)
export class ZuoraOrdersController {
  constructor(
    private readonly orders: ZuoraOrdersService,
    private readonly reads: ZuoraReads,
  ) {}

  /** The synchronous part of POST /v1/async/orders(/preview): the job is durable when this answers. */
  @MessagePattern(ZuoraOrderRpc.SubmitOrder)
  submit(@Payload() req: SubmitZuoraOrderRequest, @Ctx() ctx: AmqpContext): Promise<SubmitZuoraOrderResult> {
    return answering(() => this.orders.submit(ctx.manager, ctx.outbox, req));
  }

  /** The job, in its message's deduplicating transaction; acked after it commits. */
  @EventPattern(ZuoraOrderCommands.ProcessOrder)
  async process(@Payload() cmd: ProcessZuoraOrderCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.orders.process(ctx.manager, ctx.outbox, cmd, ctx.message);
  }

  @MessagePattern(ZuoraReadRpc.GetOrder)
  order(@Payload() req: GetZuoraOrderRequest, @Ctx() ctx: AmqpContext): Promise<ZuoraOrderRecord> {
    return answering(() => this.reads.order(ctx.manager, req.ownerId, req.orderNumber));
  }

  @MessagePattern(ZuoraReadRpc.GetSubscription)
  subscription(@Payload() req: GetZuoraSubscriptionRequest, @Ctx() ctx: AmqpContext): Promise<ZuoraSubscriptionRecord> {
    return answering(() => this.reads.subscription(ctx.manager, req.ownerId, req.subscriptionNumber));
  }
}
