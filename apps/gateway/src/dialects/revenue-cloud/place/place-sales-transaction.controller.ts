import { Body, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { Request } from 'express';
import { ASYNC_OPERATION_TRACKER_KEY_PREFIX, encodeRecordId, SalesTransactionKind } from '@asyncops/contracts';
import { ApiController } from '../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { ensureRequestId } from '../../../core/http/request-context';
import { TrackerClient } from '../../../core/tracker/tracker-client';
import { ApiVersionPipe } from '../../salesforce/http/api-version.pipe';
import { SalesTransactionsClient } from '../sales-transactions.client';
import { PlaceSalesTransactionDto } from './place-sales-transaction.dto';
import { parseSalesGraph } from './sales-graph';
import { Idempotent, idempotentExecutionId } from '../../../core/idempotency/idempotent.decorator';

export interface PlaceResponse {
  orderId?: string;
  quoteId?: string;
  requestIdentifier: string;
  statusURL: string;
  responseError: Array<{ errorCode: string; message: string }>;
  success: boolean;
}

/** The tracker's auto-number (AON-0000000012) is what Salesforce ids of AsyncOperationTracker encode. */
export function statusUrl(version: string, asyncOperationNumber: string): string {
  const n = Number(asyncOperationNumber.replace(/^AON-/, ''));
  return `/services/data/v${version}/sobjects/AsyncOperationTracker/${encodeRecordId(ASYNC_OPERATION_TRACKER_KEY_PREFIX, n)}`;
}

/**
 * Revenue Cloud's place sales order / place quote actions. The record, its PlaceOrder / PlaceQuote
 * operation and the price and tax child operations exist when this answers; `statusURL` is the
 * parent's AsyncOperationTracker record, which rolls up from the children.
 */
@ApiController('revenue-cloud', 'services/data/:version/commerce')
@Idempotent()
export class PlaceSalesTransactionController {
  constructor(
    private readonly sales: SalesTransactionsClient,
    private readonly tracker: TrackerClient,
  ) {}

  @Post('sales-orders/actions/place')
  @HttpCode(201)
  @ApiOperation({ summary: 'Place a sales order (Revenue Cloud): pricing and tax run as child operations', operationId: 'placeSalesOrder' })
  @ApiParam({ name: 'version', example: 'v60.0' })
  @ApiCreatedResponse({ description: '{orderId, requestIdentifier, statusURL, responseError, success}' })
  placeOrder(@Param('version', ApiVersionPipe) version: string, @Body() body: PlaceSalesTransactionDto, @AuthenticatedClientId() clientId: string, @Req() req: Request): Promise<PlaceResponse> {
    return this.place('Order', version, body, clientId, req);
  }

  @Post('quotes/actions/place')
  @HttpCode(201)
  @ApiOperation({ summary: 'Place a quote (Revenue Cloud): pricing and tax run as child operations', operationId: 'placeQuote' })
  @ApiParam({ name: 'version', example: 'v60.0' })
  @ApiCreatedResponse({ description: '{quoteId, requestIdentifier, statusURL, responseError, success}' })
  placeQuote(@Param('version', ApiVersionPipe) version: string, @Body() body: PlaceSalesTransactionDto, @AuthenticatedClientId() clientId: string, @Req() req: Request): Promise<PlaceResponse> {
    return this.place('Quote', version, body, clientId, req);
  }

  private async place(kind: SalesTransactionKind, version: string, body: PlaceSalesTransactionDto, clientId: string, req: Request): Promise<PlaceResponse> {
    const graph = parseSalesGraph(kind, body.graph.records);
    // A retry under the same Idempotency-Key names the same operations (order-placement derives the
    // children's ids from the parent's) and is answered once.
    const executionId = idempotentExecutionId(req);
    const placed = await this.sales.place(
      {
        ownerId: clientId,
        kind,
        operationId: executionId,
        ...graph,
        ...(body.pricingPref ? { pricingPref: body.pricingPref } : {}),
        requestId: ensureRequestId(req),
      },
      executionId,
    );
    // Read-your-writes for the parent and its children, as order-placement announced them.
    const parent = await this.tracker.recordSubmitted(placed.submitted);
    return {
      [kind === 'Order' ? 'orderId' : 'quoteId']: placed.salesforceId,
      requestIdentifier: placed.operationId,
      statusURL: statusUrl(version, parent.asyncOperationNumber),
      responseError: [],
      success: true,
    };
  }
}
