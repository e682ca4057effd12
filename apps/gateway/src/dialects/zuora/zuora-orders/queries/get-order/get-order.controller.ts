import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { ZuoraApiError, ZuoraErrorCode } from '../../../errors/zuora-error';
import { sendZuoraJson } from '../../../http/zuora-response';
import { ZuoraOrdersClient } from '../../../zuora-orders.client';
import { toZuoraOrder } from '../zuora-resource-views';

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

/** Zuora's "Retrieve an order": the order a create job made, with its subscriptions (owner only). */
@ApiTags('zuora')
@ApiBearerAuth('bearer')
@Controller('v1/orders')
export class GetZuoraOrderController {
  constructor(private readonly orders: ZuoraOrdersClient) {}

  @Get(':orderNumber')
  @ApiOperation({ summary: 'Retrieve an order created by an async job (Zuora)', operationId: 'zuoraGetOrder' })
  @ApiParam({ name: 'orderNumber', example: 'O-00000001' })
  @ApiOkResponse({ description: '{success: true, order: {orderNumber, orderDate, existingAccountNumber, currency, status, subscriptions[{subscriptionNumber, orderActions}]}}' })
  async get(@Param('orderNumber') orderNumber: string, @AuthenticatedClientId() clientId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const order = await orNotFound('Order', orderNumber, () => this.orders.getOrder({ ownerId: clientId, orderNumber }));
    await sendZuoraJson(req, res, 200, toZuoraOrder(order, clientId));
  }
}

export { orNotFound };
