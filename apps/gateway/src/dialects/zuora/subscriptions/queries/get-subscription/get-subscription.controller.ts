import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { sendZuoraJson } from '../../../http/zuora-response';
import { orNotFound } from '../../../zuora-orders/queries/get-order/get-order.controller';
import { toZuoraSubscription } from '../../../zuora-orders/queries/zuora-resource-views';
import { ZuoraOrdersClient } from '../../../zuora-orders.client';

/** Zuora's "Retrieve a subscription by key" for subscriptions that create jobs made (owner only). */
@ApiTags('zuora')
@ApiBearerAuth('bearer')
@Controller('v1/subscriptions')
export class GetZuoraSubscriptionController {
  constructor(private readonly orders: ZuoraOrdersClient) {}

  @Get(':subscriptionNumber')
  @ApiOperation({ summary: 'Retrieve a subscription created by an async job (Zuora)', operationId: 'zuoraGetSubscription' })
  @ApiParam({ name: 'subscriptionNumber', example: 'A-S00000001' })
  @ApiOkResponse({ description: "Zuora's subscription: {success: true, id, accountNumber, subscriptionNumber, status, termType, ratePlans[{ratePlanCharges}], ...}" })
  async get(@Param('subscriptionNumber') subscriptionNumber: string, @AuthenticatedClientId() clientId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const s = await orNotFound('Subscription', subscriptionNumber, () => this.orders.getSubscription({ ownerId: clientId, subscriptionNumber }));
    await sendZuoraJson(req, res, 200, toZuoraSubscription(s));
  }
}
