import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { InvalidUploadError } from '../voucherify-errors';
import { AsyncActionAccepted, ImportStarter } from './import-starter';
import { Idempotent } from '../../../core/idempotency/idempotent.decorator';

/** Voucherify's CSV import starters at the paths @voucherify/sdk calls; each answers 202 with the action id. */
@ApiTags('voucherify')
@Idempotent()
@Controller('v1')
export class ImportCsvController {
  constructor(private readonly starter: ImportStarter) {}

  @Post('vouchers/importCSV')
  @HttpCode(202)
  vouchers(@Req() req: Request, @AuthenticatedClientId() clientId: string): Promise<AsyncActionAccepted> {
    return this.starter.startCsv(req, clientId, 'VOUCHERS.IMPORT_CSV');
  }

  @Post('campaigns/:campaignId/importCSV')
  @HttpCode(202)
  campaignVouchers(@Req() req: Request, @Param('campaignId') campaignId: string, @AuthenticatedClientId() clientId: string): Promise<AsyncActionAccepted> {
    if (!campaignId || campaignId.length > 255) throw new InvalidUploadError('campaignId', 'length', 'campaignId must be 1 to 255 characters');
    return this.starter.startCsv(req, clientId, 'CAMPAIGN.VOUCHERS_IMPORT_CSV', campaignId);
  }

  @Post('customers/importCSV')
  @HttpCode(202)
  customers(@Req() req: Request, @AuthenticatedClientId() clientId: string): Promise<AsyncActionAccepted> {
    return this.starter.startCsv(req, clientId, 'CUSTOMERS.IMPORT_CSV');
  }

  @Post('products/importCSV')
  @HttpCode(202)
  products(@Req() req: Request, @AuthenticatedClientId() clientId: string): Promise<AsyncActionAccepted> {
    return this.starter.startCsv(req, clientId, 'PRODUCTS.IMPORT_CSV');
  }

  @Post('skus/importCSV')
  @HttpCode(202)
  skus(@Req() req: Request, @AuthenticatedClientId() clientId: string): Promise<AsyncActionAccepted> {
    return this.starter.startCsv(req, clientId, 'SKUS.IMPORT_CSV');
  }
}
