import { Body, HttpCode, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { UpsertProductsResult } from '@asyncops/contracts';
import { ApiController } from '../../../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { ApiProblemResponses } from '../../../../../core/errors/api-problem-responses';
import { OrderPlacementClient } from '../../../order-placement-client';
import { UpsertProductsDto } from './upsert-products.dto';

@ApiController('orders', 'api/v1/products')
export class UpsertProductsController {
  constructor(private readonly orders: OrderPlacementClient) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create or replace products in bulk (your own price book)', operationId: 'upsertProducts' })
  @ApiProblemResponses(400, 401, 500, 503, 504)
  upsert(@Body() body: UpsertProductsDto, @AuthenticatedClientId() clientId: string): Promise<UpsertProductsResult> {
    return this.orders.upsertProducts({ ownerId: clientId, products: body.products });
  }
}
