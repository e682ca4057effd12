import { Body, Controller, Delete, Get, HttpCode, Logger, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { checkPendingOrderInput, encodeRecordId, InflateBudget, ORDER_SUMMARY_KEY_PREFIX, PENDING_ORDER_SUMMARY_KEY_PREFIX, RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { malformedId, notAnId, resourceNotFound, SalesforceApiError } from '../errors/salesforce-error';
import { ApiVersionPipe } from '../http/api-version.pipe';
import { decodeRecordId } from '../ids/record-id';
import { PendingOrdersClient } from './pending-orders.client';
import { OrderSummariesClient } from '../order-summaries/order-summaries.client';
import { describePendingOrderSummary, PENDING_ORDER_SUMMARY, pendingOrderSummaryCompactLayouts, pendingOrderSummaryInfo, pendingOrderSummaryQuickActions } from './pending-order-summary.describe';
import { duplicateError, pendingOrderSummaryId, pendingOrderSummaryRecord, SaveResult } from './pending-order-summary.record';
import { Idempotent } from '../../../core/idempotency/idempotent.decorator';
import { GatewayConfig } from '../../../config';

/**
 * Seed 002's REST methods on PendingOrderSummary. Registered before the generic sobjects
 * controller so these fixed paths win over `sobjects/{object}/{id}`.
 */
@ApiTags('salesforce')
@Controller(`services/data/:version/sobjects/${PENDING_ORDER_SUMMARY}`)
export class PendingOrderSummaryController {
  private readonly log = new Logger(PendingOrderSummaryController.name);

  constructor(
    private readonly pending: PendingOrdersClient,
    private readonly summaries: OrderSummariesClient,
    private readonly config: GatewayConfig,
  ) {}

  @Get()
  info(@Param('version', ApiVersionPipe) version: string) {
    return pendingOrderSummaryInfo(version);
  }

  @Post()
  @HttpCode(201)
  @Idempotent()
  async create(@Param('version', ApiVersionPipe) _version: string, @Body() body: unknown, @AuthenticatedClientId() clientId: string): Promise<SaveResult> {
    const checked = await checkPendingOrderInput(body, new InflateBudget(this.config.PENDING_ORDER_INFLATE_MAX_BYTES, this.config.PENDING_ORDER_INFLATE_MAX_MS));
    if (!checked.ok) {
      const [first] = checked.errors;
      throw new SalesforceApiError(400, first.errorCode, checked.errors.map((e) => e.message).join('; '), [...new Set(checked.errors.flatMap((e) => e.fields))]);
    }
    const { outcomes } = await this.sfCall(() => this.pending.ingest({ ownerId: clientId, orders: [checked.value] }));
    const [outcome] = outcomes;
    if (!outcome.ok) {
      const e = duplicateError(outcome);
      throw new SalesforceApiError(400, e.errorCode, e.message, e.fields);
    }
    return { id: pendingOrderSummaryId(outcome.number), success: true, errors: [] };
  }

  @Get('describe')
  describe(@Param('version', ApiVersionPipe) version: string) {
    return describePendingOrderSummary(version);
  }

  @Get('describe/compactLayouts')
  compactLayouts(@Param('version', ApiVersionPipe) _version: string) {
    return pendingOrderSummaryCompactLayouts();
  }

  @Get('quickActions')
  quickActions(@Param('version', ApiVersionPipe) _version: string) {
    return pendingOrderSummaryQuickActions();
  }

  @Get(':id')
  async retrieve(@Param('version', ApiVersionPipe) version: string, @Param('id') id: string, @AuthenticatedClientId() clientId: string) {
    const n = numberOf(id);
    try {
      return pendingOrderSummaryRecord(await this.pending.get(clientId, n), version);
    } catch (e) {
      if (!(e instanceof RpcError && e.code === RpcErrorCode.NotFound)) throw e;
    }
    // Conversion deletes the pending record: its id then answers as deleted, naming the OrderSummary it became.
    const { items } = await this.summaries.list({ ownerId: clientId, limit: 1, pendingOrderSummaryNumber: n });
    if (!items.length) throw resourceNotFound();
    const summaryId = encodeRecordId(ORDER_SUMMARY_KEY_PREFIX, items[0].number);
    throw new SalesforceApiError(404, 'ENTITY_IS_DELETED', `entity is deleted: converted to OrderSummary ${summaryId}`);
  }

  @Delete(':id')
  @HttpCode(204)
  async destroy(@Param('version', ApiVersionPipe) _version: string, @Param('id') id: string, @AuthenticatedClientId() clientId: string): Promise<void> {
    await this.sfCall(() => this.pending.delete(clientId, numberOf(id)));
  }

  /** The seed's Import: creates the OrderSummary now. A conversion failure is the client's to fix, so a 400. */
  @Post(':id')
  @HttpCode(200)
  async importNow(@Param('version', ApiVersionPipe) _version: string, @Param('id') id: string, @AuthenticatedClientId() clientId: string) {
    const outcome = await this.sfCall(() => this.pending.importNow(clientId, numberOf(id)));
    if (!outcome.isSuccess) {
      this.log.debug({ msg: 'manual import failed', id, code: outcome.errorCode, event: 'pending-order-import-failed' });
      throw new SalesforceApiError(400, outcome.errorCode ?? 'UNKNOWN_EXCEPTION', outcome.errorMessage ?? 'the order could not be converted');
    }
    return {
      id: encodeRecordId(ORDER_SUMMARY_KEY_PREFIX, outcome.orderSummaryNumber as number),
      success: true,
      errors: [],
      ExternalReferenceIdentifier: outcome.externalReferenceIdentifier,
    };
  }

  /** RPC answers in Salesforce's words: a missing record is NOT_FOUND, a conflict a retryable 409. */
  private async sfCall<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (e instanceof RpcError && e.code === RpcErrorCode.NotFound) throw resourceNotFound();
      if (e instanceof RpcError && e.code === RpcErrorCode.Conflict) throw new SalesforceApiError(409, 'UNABLE_TO_LOCK_ROW', e.message);
      throw e;
    }
  }
}

function numberOf(id: string): number {
  const decoded = decodeRecordId(PENDING_ORDER_SUMMARY_KEY_PREFIX, id);
  if (decoded.ok) return decoded.number;
  throw decoded.problem === 'shape' ? notAnId(id) : malformedId(PENDING_ORDER_SUMMARY, id);
}
