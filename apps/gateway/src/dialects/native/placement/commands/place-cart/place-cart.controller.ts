import { Body, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { isTerminalStatus } from '@asyncops/domain';
import { ContextLogger, JsonLogger } from '@asyncops/platform';
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
  private readonly log: ContextLogger;

  constructor(
    private readonly orders: OrderPlacementClient,
    private readonly tracker: TrackerClient,
    logger: JsonLogger,
  ) {
    this.log = logger.child('PlaceCart');
  }

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
    const recorded = await this.tracker.recordSubmitted(placed.submitted);
    this.withdrawCopies(clientId, placed.operationId, placed.submitted.events, recorded.status);
    res.setHeader('Location', `/api/v1/operations/${placed.operationId}`);
    return { operationId: placed.operationId, orderId: placed.orderId };
  }

  /**
   * A cart placed while accepted came back with its lifecycle events, and order-placement holds
   * their outbox copies back in case they are never recorded here. A finished record means the
   * tracker has them (it applied them with the submit and marked them processed; had it refused
   * them, the record would read Submitted until the copies themselves arrive, and any copy that
   * finished it has been relayed already), so the copies are withdrawn instead of being relayed
   * and skipped as duplicates. Not awaited: the 202 does not depend on it, and a copy not
   * withdrawn is still only a duplicate.
   */
  private withdrawCopies(ownerId: string, operationId: string, events: Array<{ messageId: string }> | undefined, status: string): void {
    if (!events?.length || !isTerminalStatus(status)) return;
    const messageIds = events.map((e) => e.messageId);
    // After this turn, which writes the 202.
    setImmediate(() =>
      this.orders
        .withdrawHeldEvents({ ownerId, operationId, messageIds })
        .catch((e: Error) => this.log.info({ msg: 'held-back copies not withdrawn; they arrive as duplicates', operationId, error: e.message, event: 'held-events-not-withdrawn' })),
    );
  }
}
