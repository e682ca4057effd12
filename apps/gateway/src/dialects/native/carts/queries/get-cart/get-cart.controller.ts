import { Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import type { CartView } from '@asyncops/contracts';
import { ApiController } from '../../../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { ApiProblemResponses } from '../../../../../core/errors/api-problem-responses';
import { OrderPlacementClient } from '../../../order-placement-client';
import { ResourceIdPipe } from '../../../resource-id.pipe';

@ApiController('orders', 'api/v1/carts')
export class GetCartController {
  constructor(private readonly orders: OrderPlacementClient) {}

  @Get(':id')
  @ApiOperation({ summary: 'A cart with its item counts and subtotal', operationId: 'getCart' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProblemResponses(401, 404, 500, 503, 504)
  get(@Param('id', ResourceIdPipe) id: string, @AuthenticatedClientId() clientId: string): Promise<CartView> {
    return this.orders.getCart(clientId, id);
  }
}
