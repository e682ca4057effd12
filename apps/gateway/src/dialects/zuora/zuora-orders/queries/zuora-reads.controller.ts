import { Get, Param, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { ApiController } from '../../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../../core/auth/authenticated-client.decorator';
import { ZuoraApiError, ZuoraErrorCode } from '../../errors/zuora-error';
import { sendZuoraJson } from '../../http/zuora-response';
import { ZuoraOrdersClient } from '../../zuora-orders.client';
import { toZuoraOrder, toZuoraSubscription } from './zuora-resource-views';

const notFound = (what: string, key: string) => new ZuoraApiError(404, [{ code: ZuoraErrorCode.NotFound, message: `${what} ${key.slice(0, 100)} does not exist.` }]);

async function orNotFound<T>(what: string, key: string, read: () => Promise<T>): Promise<T> {
  if (!key || key.length > 100) throw notFound(what, key ?? '');
  try {
    return await read();
  } catch (e) {
    if (e instanceof RpcError && e.code === RpcErrorCode.NotFound) throw notFound(what, key);
    throw e;
  }
}

/**
 * Zuora's "Retrieve an order" and "Retrieve a subscription by key" for what create jobs made
 * (owner only); order-placement answers both (`zuora-reads`).
 */
@ApiController('zuora', 'v1')
export class ZuoraReadsController {
  constructor(private readonly orders: ZuoraOrdersClient) {}

  @Get('orders/:orderNumber')
  @ApiOperation({ summary: 'Retrieve an order created by an async job (Zuora)', operationId: 'zuoraGetOrder' })
  @ApiParam({ name: 'orderNumber', example: 'O-00000001' })
  @ApiOkResponse({ description: '{success: true, order: {orderNumber, orderDate, existingAccountNumber, currency, status, subscriptions[{subscriptionNumber, orderActions}]}}' })
  async getOrder(@Param('orderNumber') orderNumber: string, @AuthenticatedClientId() clientId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const order = await orNotFound('Order', orderNumber, () => this.orders.getOrder({ ownerId: clientId, orderNumber }));
    await sendZuoraJson(req, res, 200, toZuoraOrder(order, clientId));
  }

  @Get('subscriptions/:subscriptionNumber')
  @ApiOperation({ summary: 'Retrieve a subscription created by an async job (Zuora)', operationId: 'zuoraGetSubscription' })
  @ApiParam({ name: 'subscriptionNumber', example: 'A-S00000001' })
  @ApiOkResponse({ description: "Zuora's subscription: {success: true, id, accountNumber, subscriptionNumber, status, termType, ratePlans[{ratePlanCharges}], ...}" })
  async getSubscription(@Param('subscriptionNumber') subscriptionNumber: string, @AuthenticatedClientId() clientId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const subscription = await orNotFound('Subscription', subscriptionNumber, () => this.orders.getSubscription({ ownerId: clientId, subscriptionNumber }));
    await sendZuoraJson(req, res, 200, toZuoraSubscription(subscription));
  }
}
