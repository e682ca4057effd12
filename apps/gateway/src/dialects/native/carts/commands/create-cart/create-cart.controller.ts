import { Body, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CartView } from '@asyncops/contracts';
import { ApiController } from '../../../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { ApiProblemResponses } from '../../../../../core/errors/api-problem-responses';
import { OrderPlacementClient } from '../../../order-placement-client';
import { CreateCartDto } from './create-cart.dto';

@ApiController('orders', 'api/v1/carts')
export class CreateCartController {
  constructor(private readonly orders: OrderPlacementClient) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an empty cart', operationId: 'createCart' })
  @ApiProblemResponses(400, 401, 500, 503, 504)
  async create(@Body() body: CreateCartDto, @AuthenticatedClientId() clientId: string, @Res({ passthrough: true }) res: Response): Promise<CartView> {
    const cart = await this.orders.createCart({ ownerId: clientId, ...body });
    res.setHeader('Location', `/api/v1/carts/${cart.id}`);
    return cart;
  }
}
