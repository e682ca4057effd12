import { Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import type { OrderView } from '@asyncops/contracts';
import { ApiController } from '../../../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { ApiProblemResponses } from '../../../../../core/errors/api-problem-responses';
import { OrderPlacementClient } from '../../../order-placement-client';
import { ResourceIdPipe } from '../../../resource-id.pipe';
import { GetOrderQueryDto } from './get-order.dto';

@ApiController('orders', 'api/v1/orders')
export class GetOrderController {
  constructor(private readonly orders: OrderPlacementClient) {}

  @Get(':id')
  @ApiOperation({ summary: 'An order with a page of its items', operationId: 'getOrder' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProblemResponses(400, 401, 404, 500, 503, 504)
  get(@Param('id', ResourceIdPipe) id: string, @Query() query: GetOrderQueryDto, @AuthenticatedClientId() clientId: string): Promise<OrderView> {
    return this.orders.getOrder({ ownerId: clientId, orderId: id, limit: query.limit ?? 1000, ...(query.after !== undefined ? { after: query.after } : {}) });
  }
}
