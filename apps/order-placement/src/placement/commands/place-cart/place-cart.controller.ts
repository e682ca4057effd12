import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { OrderPlacementRpc, PlaceCartRequest, PlaceCartResult } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { PlacementService } from '../../placement.service';
import { ORDER_PLACEMENT_RPC_CONSUMER } from '../../../queues';

/** placeAsync's synchronous part: creates the order and queues its first batch, then answers. */
@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
export class PlaceCartController {
  constructor(private readonly placement: PlacementService) {}

  @MessagePattern(OrderPlacementRpc.PlaceCart)
  place(@Payload() req: PlaceCartRequest, @Ctx() ctx: AmqpContext): Promise<PlaceCartResult> {
    return answering(() => this.placement.submit(ctx.manager, ctx.outbox, req));
  }
}
