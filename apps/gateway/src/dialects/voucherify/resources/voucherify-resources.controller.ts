import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ReadableResource, RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { NotFoundError } from '../../../core/errors/gateway-errors';
import { ImporterClient } from '../importer-client';
import { InvalidUploadError } from '../voucherify-errors';
import { toVoucherifyCampaign, toVoucherifyCustomer, toVoucherifyVoucher } from './voucherify-resources';

/** What an import wrote, read back one resource at a time in Voucherify's shapes (owner only). */
@ApiTags('voucherify')
@Controller('v1')
export class VoucherifyResourcesController {
  constructor(private readonly importer: ImporterClient) {}

  @Get('vouchers/:code')
  async voucher(@Param('code') code: string, @AuthenticatedClientId() ownerId: string) {
    return toVoucherifyVoucher(await this.read(ownerId, 'voucher', code, 'code'));
  }

  @Get('campaigns/:campaignId')
  async campaign(@Param('campaignId') id: string, @AuthenticatedClientId() ownerId: string) {
    return toVoucherifyCampaign(await this.read(ownerId, 'campaign', id, 'campaignId'));
  }

  @Get('customers/:customerId')
  async customer(@Param('customerId') id: string, @AuthenticatedClientId() ownerId: string) {
    return toVoucherifyCustomer(await this.read(ownerId, 'customer', id, 'customerId'));
  }

  private async read(ownerId: string, resource: ReadableResource, key: string, field: string): Promise<Record<string, unknown>> {
    if (!key || key.length > 255) throw new InvalidUploadError(field, 'length', `${field} must be 1 to 255 characters`);
    try {
      return (await this.importer.getResource({ ownerId, resource, key })).record;
    } catch (e) {
      if (e instanceof RpcError && e.code === RpcErrorCode.NotFound) throw new NotFoundError(`Cannot find ${resource} with id ${key}`);
      throw e;
    }
  }
}
