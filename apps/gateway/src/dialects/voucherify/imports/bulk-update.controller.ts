import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { InvalidUploadError } from '../voucherify-errors';
import { AsyncActionAccepted, ImportStarter, MAX_JSON_IMPORT_ITEMS } from './import-starter';
import { Idempotent } from '../../../core/idempotency/idempotent.decorator';

/**
 * Voucherify's asynchronous bulk and metadata updates. A metadata update (`{codes | source_ids,
 * metadata}`) becomes one item per resource, so both run as the same resumable batches.
 */
@ApiTags('voucherify')
@Idempotent()
@Controller('v1')
export class BulkUpdateController {
  constructor(private readonly starter: ImportStarter) {}

  @Post('vouchers/bulk/async')
  @HttpCode(202)
  vouchers(@Req() req: Request, @Body() body: unknown, @AuthenticatedClientId() clientId: string): Promise<AsyncActionAccepted> {
    return this.starter.startJson(req, body, clientId, 'VOUCHERS.BULK_UPDATE');
  }

  @Post('customers/bulk/async')
  @HttpCode(202)
  customers(@Req() req: Request, @Body() body: unknown, @AuthenticatedClientId() clientId: string): Promise<AsyncActionAccepted> {
    return this.starter.startJson(req, body, clientId, 'CUSTOMERS.BULK_UPDATE');
  }

  @Post('products/bulk/async')
  @HttpCode(202)
  products(@Req() req: Request, @Body() body: unknown, @AuthenticatedClientId() clientId: string): Promise<AsyncActionAccepted> {
    return this.starter.startJson(req, body, clientId, 'PRODUCTS.BULK_UPDATE');
  }

  @Post('vouchers/metadata/async')
  @HttpCode(202)
  voucherMetadata(@Req() req: Request, @Body() body: unknown, @AuthenticatedClientId() clientId: string): Promise<AsyncActionAccepted> {
    return this.starter.startJson(req, metadataItems(body, 'codes', 'code'), clientId, 'VOUCHERS.METADATA_UPDATE');
  }

  @Post('customers/metadata/async')
  @HttpCode(202)
  customerMetadata(@Req() req: Request, @Body() body: unknown, @AuthenticatedClientId() clientId: string): Promise<AsyncActionAccepted> {
    return this.starter.startJson(req, metadataItems(body, 'source_ids', 'source_id'), clientId, 'CUSTOMERS.METADATA_UPDATE');
  }

  @Post('products/metadata/async')
  @HttpCode(202)
  productMetadata(@Req() req: Request, @Body() body: unknown, @AuthenticatedClientId() clientId: string): Promise<AsyncActionAccepted> {
    return this.starter.startJson(req, metadataItems(body, 'source_ids', 'source_id'), clientId, 'PRODUCTS.METADATA_UPDATE');
  }
}

/** `{codes: [...], metadata}` → `[{code, metadata}, ...]`, refusing a body that is not that shape. */
export function metadataItems(body: unknown, listField: 'codes' | 'source_ids', keyField: 'code' | 'source_id'): Array<Record<string, unknown>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidUploadError('body', 'isObject', 'the request body must be a JSON object');
  const { [listField]: ids, metadata } = body as Record<string, unknown>;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_JSON_IMPORT_ITEMS) {
    throw new InvalidUploadError(listField, 'arrayLength', `${listField} must be an array of 1 to ${MAX_JSON_IMPORT_ITEMS} ids`);
  }
  const bad = ids.findIndex((id) => typeof id !== 'string' || id.length === 0 || id.length > 255);
  if (bad >= 0) throw new InvalidUploadError(`${listField}[${bad}]`, 'isString', `${listField}[${bad}] must be a non-empty string of at most 255 characters`);
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw new InvalidUploadError('metadata', 'isObject', 'metadata must be a JSON object');
  return (ids as string[]).map((id) => ({ [keyField]: id, metadata }));
}
