import { Body, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiController } from '../../../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { ApiProblemResponses } from '../../../../../core/errors/api-problem-responses';
import { ensureRequestId } from '../../../../../core/http/request-context';
import { TrackerClient } from '../../../../../core/tracker/tracker-client';
import { OrderPlacementClient } from '../../../order-placement-client';
import { ResourceIdPipe } from '../../../resource-id.pipe';
import { PlaceCartDto } from './place-cart.dto';
import { Idempotent, idempotentExecutionId } from '../../../../../core/idempotency/idempotent.decorator';

export interface PlaceCartAccepted {
  operationId: string;
  orderId: string;
}

@ApiController('orders', 'api/v1/carts')
export class PlaceCartController {
  constructor(
    private readonly orders: OrderPlacementClient,
    private readonly tracker: TrackerClient,
  ) {}

  @Post(':id/place')
  @HttpCode(202)
  @Idempotent()
  @ApiOperation({
    summary: 'Place the cart as an order asynchronously, in batches (B2B Commerce placeAsync)',
    description: 'Answers at once; follow the operation at Location. Batches of 200 major items and coupons; minor items ride with their major item.',
    operationId: 'placeCart',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiAcceptedResponse({ headers: { Location: { description: 'URL of the placement operation', schema: { type: 'string' } } } })
  @ApiProblemResponses(400, 401, 404, 409, 500, 503, 504)
  async place(
    @Param('id', ResourceIdPipe) id: string,
    @Body() body: PlaceCartDto,
    @AuthenticatedClientId() clientId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PlaceCartAccepted> {
    // A retry of a keyed request whose first attempt failed places under the same operation id;
    // otherwise order-placement names the operation.
    const placed = await this.orders.placeCart({
      ownerId: clientId,
      cartId: id,
      operationId: idempotentExecutionId(req),
      allowRepricing: body.allowRepricing ?? false,
      requestId: ensureRequestId(req),
    });
    // Read-your-writes: the operation is the tracker's before the 202 leaves, as order-placement announced it.
    await this.tracker.recordSubmitted(placed.submitted);
    res.setHeader('Location', `/api/v1/operations/${placed.operationId}`);
    return { operationId: placed.operationId, orderId: placed.orderId };
  }
}
