import { Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { decodeRecordId, ORDER_SUMMARY, RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { ApiController } from '../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { NotFoundError, ValidationFailedError } from '../../../core/errors/gateway-errors';
import { nextPageUrl } from '../../../core/http/paging';
import { OrderSummariesClient } from './order-summaries.client';
import { nativeOrderSummary, orderSummaryId } from './order-summary.record';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/** The OrderSummary records pending orders become, on the native API (ids are their Salesforce ids). */
@ApiController('order summaries', 'api/v1/order-summaries')
export class OrderSummariesNativeController {
  constructor(private readonly summaries: OrderSummariesClient) {}

  @Get()
  @ApiOperation({ summary: 'List your order summaries, newest first, cursor-paged ({data, nextCursor, hasMore} and Link rel="next")' })
  @ApiQuery({ name: 'limit', required: false, description: `1..${MAX_LIMIT}, default ${DEFAULT_LIMIT}` })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'externalReferenceIdentifier', required: false, description: 'only the summary converted from this pending order' })
  @ApiOkResponse({ description: '{ data, nextCursor, hasMore }, with a Link rel="next" header when there is more; summaries without their lines' })
  async list(
    @Query('limit') limitRaw: unknown,
    @Query('cursor') cursor: unknown,
    @Query('externalReferenceIdentifier') ref: unknown,
    @AuthenticatedClientId() clientId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const errors: Array<{ field: string; rule: string; message: string }> = [];
    let limit = DEFAULT_LIMIT;
    if (limitRaw !== undefined) {
      limit = typeof limitRaw === 'string' && /^\d{1,4}$/.test(limitRaw) ? Number(limitRaw) : NaN;
      if (!(limit >= 1 && limit <= MAX_LIMIT)) errors.push({ field: 'limit', rule: 'range', message: `limit must be an integer from 1 to ${MAX_LIMIT}` });
    }
    let before: number | undefined;
    if (cursor !== undefined) {
      const d = typeof cursor === 'string' ? decodeRecordId(ORDER_SUMMARY.keyPrefix, cursor) : undefined;
      if (d?.ok) before = d.number;
      else errors.push({ field: 'cursor', rule: 'cursor', message: 'cursor must be the nextCursor of a previous page' });
    }
    if (ref !== undefined && (typeof ref !== 'string' || ref.length < 1 || ref.length > 255)) {
      errors.push({ field: 'externalReferenceIdentifier', rule: 'length', message: 'externalReferenceIdentifier must be given once, 1 to 255 characters' });
    }
    if (errors.length) throw new ValidationFailedError(errors);
    const page = await this.summaries.list({ ownerId: clientId, limit, ...(before !== undefined ? { before } : {}), ...(typeof ref === 'string' ? { externalReferenceIdentifier: ref } : {}) });
    const last = page.items[page.items.length - 1];
    const nextCursor = page.hasMore && last ? orderSummaryId(last.number) : null;
    if (nextCursor) res.setHeader('Link', `<${nextPageUrl(req, nextCursor)}>; rel="next"`);
    return { data: page.items.map(nativeOrderSummary), nextCursor, hasMore: nextCursor !== null };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One order summary with its lines' })
  @ApiParam({ name: 'id', description: 'the 18-character OrderSummary id (1Os…), as pending-order.processed and the Import action give it' })
  @ApiOkResponse({ description: 'the summary: ids, account, amounts as decimal strings, status, and items [{line, sku, description, quantity, unitPrice, totalPrice}]' })
  async get(@Param('id') id: string, @AuthenticatedClientId() clientId: string) {
    const d = decodeRecordId(ORDER_SUMMARY.keyPrefix, id);
    if (!d.ok) throw new NotFoundError('No order summary with this id exists for the authenticated client.');
    try {
      return nativeOrderSummary(await this.summaries.get(clientId, d.number));
    } catch (e) {
      if (e instanceof RpcError && e.code === RpcErrorCode.NotFound) throw new NotFoundError('No order summary with this id exists for the authenticated client.');
      throw e;
    }
  }
}
