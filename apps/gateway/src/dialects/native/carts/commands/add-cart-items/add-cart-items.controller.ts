import { Body, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import type { AddCartItemsResult } from '@asyncops/contracts';
import { ApiController } from '../../../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { ApiProblemResponses } from '../../../../../core/errors/api-problem-responses';
import { Idempotent, idempotentExecutionId } from '../../../../../core/idempotency/idempotent.decorator';
import { OrderPlacementClient } from '../../../order-placement-client';
import { ResourceIdPipe } from '../../../resource-id.pipe';
import { AddCartItemsDto } from './add-cart-items.dto';

@ApiController('orders', 'api/v1/carts')
export class AddCartItemsController {
  constructor(private readonly orders: OrderPlacementClient) {}

  @Post(':id/items')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Add items in bulk (all or none)', operationId: 'addCartItems' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProblemResponses(400, 401, 404, 409, 500, 503, 504)
  add(@Param('id', ResourceIdPipe) id: string, @Body() body: AddCartItemsDto, @AuthenticatedClientId() clientId: string, @Req() req: Request): Promise<AddCartItemsResult> {
    // A retry under the same Idempotency-Key whose first attempt committed but never answered
    // gets that attempt's answer from order-placement: the items are added once.
    return this.orders.addCartItems({ ownerId: clientId, cartId: id, items: body.items }, idempotentExecutionId(req));
  }
}
