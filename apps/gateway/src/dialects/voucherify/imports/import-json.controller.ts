import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { InvalidUploadError } from '../voucherify-errors';
import { AsyncActionAccepted, ImportStarter } from './import-starter';
import { Idempotent } from '../../../core/idempotency/idempotent.decorator';

/** Voucherify's JSON imports (arrays of vouchers or orders); each answers 202 with the action id. */
@ApiTags('voucherify')
@Idempotent()
@Controller('v1')
export class ImportJsonController {
  constructor(private readonly starter: ImportStarter) {}

  @Post('vouchers/import')
  @HttpCode(202)
  vouchers(@Req() req: Request, @Body() body: unknown, @AuthenticatedClientId() clientId: string): Promise<AsyncActionAccepted> {
    return this.starter.startJson(req, body, clientId, 'VOUCHERS.IMPORT');
  }

  @Post('campaigns/:campaignId/import')
  @HttpCode(202)
  campaignVouchers(@Req() req: Request, @Param('campaignId') campaignId: string, @Body() body: unknown, @AuthenticatedClientId() clientId: string): Promise<AsyncActionAccepted> {
    if (!campaignId || campaignId.length > 255) throw new InvalidUploadError('campaignId', 'length', 'campaignId must be 1 to 255 characters');
    return this.starter.startJson(req, body, clientId, 'CAMPAIGN.VOUCHERS_IMPORT', campaignId);
  }

  @Post('orders/import')
  @HttpCode(202)
  orders(@Req() req: Request, @Body() body: unknown, @AuthenticatedClientId() clientId: string): Promise<AsyncActionAccepted> {
    return this.starter.startJson(req, body, clientId, 'ORDERS.IMPORT');
  }
}
