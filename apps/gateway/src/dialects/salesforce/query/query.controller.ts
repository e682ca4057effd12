import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { MAX_AGGREGATE_ROWS, MAX_SOQL_PAGE_SIZE, SoqlQueryRequest, SoqlQueryResponse } from '@asyncops/contracts';
import { ASYNC_OPERATION_TRACKER, ORDER_SUMMARY, PENDING_ORDER_SUMMARY_OBJECT, planSoql, PlannerContext, QueryPlan, RecordFormatter, SObjectDescription, SoqlError } from '@asyncops/soql';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { TokenService } from '../../../core/auth/token.service';
import { SalesforceApiError } from '../errors/salesforce-error';
import { ApiVersionPipe } from '../http/api-version.pipe';
import { SalesforceCallers } from '../records/caller';
import { SalesforceTrackerClient } from '../salesforce-tracker.client';
import { LocatorState, QueryLocators } from './query-locator';
import { OrderSummariesClient } from '../order-summaries/order-summaries.client';
import { GatewayConfig } from '../../../config';

export const MIN_BATCH_SIZE = 200;

/** The objects SOQL reaches; each is answered by the service that owns it, under its own rules. */
const OBJECTS: readonly SObjectDescription[] = [ASYNC_OPERATION_TRACKER, ORDER_SUMMARY, PENDING_ORDER_SUMMARY_OBJECT];

/** The shared planner, its refusals answered in Salesforce's error shape. */
function plan(soql: string, caller: PlannerContext): { plan: QueryPlan; object: SObjectDescription } {
  try {
    return planSoql(soql, OBJECTS, caller);
  } catch (e) {
    if (e instanceof SoqlError) throw new SalesforceApiError(e.status, e.errorCode, e.message);
    throw e;
  }
}

/** `Sforce-Query-Options: batchSize=N`; Salesforce keeps it within 200..2000 and defaults to 2000. */
export function batchSizeOf(header: string | undefined): number {
  for (const part of (header ?? '').split(',')) {
    const [name, value] = part.split('=').map((s) => s.trim());
    if (name?.toLowerCase() === 'batchsize' && value !== undefined) {
      const n = Number.parseInt(value, 10);
      if (Number.isFinite(n)) return Math.min(MAX_SOQL_PAGE_SIZE, Math.max(MIN_BATCH_SIZE, n));
    }
  }
  return MAX_SOQL_PAGE_SIZE;
}

/**
 * SOQL: the gateway parses, checks and plans (libs/soql); the service owning the object (the
 * tracker for AsyncOperationTracker, order-placement for the order objects) runs it as
 * parameterised SQL.
 * queryAll is the same query: deleted records leave no recycle bin here, only tombstones.
 */
@ApiTags('salesforce')
@Controller('services/data/:version')
export class QueryController {
  private readonly locators: QueryLocators;

  constructor(
    private readonly tracker: SalesforceTrackerClient,
    private readonly callers: SalesforceCallers,
    tokens: TokenService,
    private readonly orders: OrderSummariesClient,
    config: GatewayConfig,
  ) {
    this.locators = new QueryLocators((data) => tokens.mac(data), config.QUERY_LOCATOR_TTL_SECONDS * 1000);
  }

  @Get('query')
  query(@Param('version', ApiVersionPipe) version: string, @Query('q') q: unknown, @Headers('sforce-query-options') options: string | undefined, @AuthenticatedClientId() clientId: string) {
    return this.first(version, q, false, options, clientId);
  }

  @Get('queryAll')
  queryAll(@Param('version', ApiVersionPipe) version: string, @Query('q') q: unknown, @Headers('sforce-query-options') options: string | undefined, @AuthenticatedClientId() clientId: string) {
    return this.first(version, q, true, options, clientId);
  }

  @Get('query/:locator')
  more(@Param('version', ApiVersionPipe) version: string, @Param('locator') locator: string, @AuthenticatedClientId() clientId: string) {
    return this.next(version, locator, clientId);
  }

  @Get('queryAll/:locator')
  moreAll(@Param('version', ApiVersionPipe) version: string, @Param('locator') locator: string, @AuthenticatedClientId() clientId: string) {
    return this.next(version, locator, clientId);
  }

  private first(version: string, q: unknown, all: boolean, options: string | undefined, clientId: string) {
    if (q === undefined || q === '') throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    if (typeof q !== 'string') throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'q: give the query once');
    return this.page(version, clientId, { q, all, offset: 0, totalSize: -1, snapshot: -1, batch: batchSizeOf(options), now: Date.now() });
  }

  private next(version: string, locator: string, clientId: string) {
    const state = this.locators.decode(clientId, locator);
    if (!state) throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return this.page(version, clientId, state);
  }

  private run(object: SObjectDescription, request: SoqlQueryRequest): Promise<SoqlQueryResponse> {
    return object === ASYNC_OPERATION_TRACKER ? this.tracker.query(request) : this.orders.query(request);
  }

  private async page(version: string, clientId: string, state: LocatorState) {
    const caller = this.callers.of(clientId, new Date(state.now));
    const { plan: planned, object } = plan(state.q, caller);
    if (planned.aggregate) {
      // Aggregate results come in one batch: Salesforce has no queryMore for them.
      const res = await this.run(object, { ownerId: clientId, plan: planned, pageOffset: 0, pageSize: MAX_SOQL_PAGE_SIZE, withTotal: true });
      if (res.rows.length > MAX_AGGREGATE_ROWS) {
        throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch');
      }
      const records = new RecordFormatter(object, version, caller).aggregateRecords(planned, res);
      return { totalSize: records.length, done: true, records };
    }
    const firstPage = state.totalSize < 0;
    const res = await this.run(object, {
      ownerId: clientId,
      plan: planned,
      pageOffset: state.offset,
      pageSize: state.batch,
      withTotal: firstPage,
      ...(firstPage ? {} : { snapshot: state.snapshot }),
    });
    const totalSize = firstPage ? (res.totalSize ?? 0) : state.totalSize;
    if (planned.count) return { totalSize, done: true, records: [] };
    const records = new RecordFormatter(object, version, caller).records(planned, res);
    const served = state.offset + records.length;
    const done = records.length === 0 || served >= totalSize;
    const body: { totalSize: number; done: boolean; records: unknown[]; nextRecordsUrl?: string } = { totalSize, done, records };
    if (!done) {
      const next = this.locators.encode(clientId, { ...state, offset: served, totalSize, snapshot: res.snapshot });
      body.nextRecordsUrl = `/services/data/v${version}/${state.all ? 'queryAll' : 'query'}/${next}`;
    }
    return body;
  }
}
