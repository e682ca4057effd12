import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MAX_AGGREGATE_ROWS, MAX_SOQL_PAGE_SIZE, SoqlQueryRequest, SoqlQueryResponse } from '@asyncops/contracts';
import { ASYNC_OPERATION_TRACKER, ORDER_SUMMARY, PENDING_ORDER_SUMMARY_OBJECT, planSoql, PlannerContext, QueryPlan, RecordFormatter, SObjectDescription, SoqlError } from '@asyncops/soql';
import { TokenService } from '../../../core/auth/token.service';
import { GatewayConfig } from '../../../config';
import { SalesforceApiError } from '../errors/salesforce-error';
import { SalesforceCallers } from '../records/caller';
import { SalesforceTrackerClient } from '../salesforce-tracker.client';
import { OrderSummariesClient } from '../order-summaries/order-summaries.client';
import { LocatorState, QueryLocators } from './query-locator';
import { SoqlReads } from './soql-reads';

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

/** Plans are shared and never modified (libs/soql): each is written out once. */
const PLAN_TEXTS = new WeakMap<QueryPlan, string>();
function planText(plan: QueryPlan): string {
  let text = PLAN_TEXTS.get(plan);
  if (text === undefined) PLAN_TEXTS.set(plan, (text = JSON.stringify(plan)));
  return text;
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

/** A query page's answer, as jsforce reads it. */
export interface SoqlPage {
  totalSize: number;
  done: boolean;
  records: unknown[];
  nextRecordsUrl?: string;
}

/**
 * A page whose query is parsed, checked and planned: what is left is asking the owning service
 * and formatting its rows.
 */
export interface PlannedPage {
  run(): Promise<SoqlPage>;
}

/**
 * SOQL pages, shared by the routed query controller and the read edge so both answer alike: the
 * gateway parses, checks and plans (libs/soql); the service owning the object (the tracker for
 * AsyncOperationTracker, order-placement for the order objects) runs it as parameterised SQL, or,
 * with READ_DATABASE_URL, the gateway runs the owners' executor itself on a read-only pool
 * (SoqlReads; FOR VIEW, which writes, stays with the owner).
 * queryAll is the same query: deleted records leave no recycle bin here, only tombstones.
 */
@Injectable()
export class SoqlPages {
  private readonly locators: QueryLocators;

  constructor(
    private readonly tracker: SalesforceTrackerClient,
    private readonly callers: SalesforceCallers,
    tokens: TokenService,
    private readonly orders: OrderSummariesClient,
    config: GatewayConfig,
    private readonly reads: SoqlReads,
  ) {
    this.locators = new QueryLocators((data) => tokens.mac(data), config.QUERY_LOCATOR_TTL_SECONDS * 1000);
  }

  /** The first page of `q`; throws (in Salesforce's shape) what the query is refused for. */
  first(version: string, q: unknown, all: boolean, options: string | undefined, clientId: string): PlannedPage {
    if (q === undefined || q === '') throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    if (typeof q !== 'string') throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'q: give the query once');
    return this.page(version, clientId, { q, all, offset: 0, totalSize: -1, snapshot: -1, batch: batchSizeOf(options), now: Date.now() });
  }

  /** The page a `nextRecordsUrl` locator names. */
  next(version: string, locator: string, clientId: string): PlannedPage {
    const state = this.locators.decode(clientId, locator);
    if (!state) throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return this.page(version, clientId, state);
  }

  /** The gateway's own read when it has a read database and the plan writes nothing (SoqlReads), else the owner. */
  private call(object: SObjectDescription, request: SoqlQueryRequest & { plan: QueryPlan }): Promise<SoqlQueryResponse> {
    if (this.reads.answers(request.plan)) return this.reads.page(request);
    return object === ASYNC_OPERATION_TRACKER ? this.tracker.query(request) : this.orders.query(request);
  }

  private page(version: string, clientId: string, state: LocatorState): PlannedPage {
    const caller = this.callers.of(clientId, new Date(state.now));
    const { plan: planned, object } = plan(state.q, caller);
    const answer = () => this.answer(version, clientId, state, caller, planned, object);
    // Only a first page that is the whole answer is kept: a later page reads at its locator's
    // snapshot, and a locator in a kept answer would outlive its validity.
    if (state.totalSize >= 0 || !this.reads.keeps(planned)) return { run: answer };
    // Everything the answer depends on: the plan carries the query, the caller's date literals resolved, the object.
    // Hashed: a plan's text can be long, and the cache holds the key.
    const key = createHash('sha256').update(`${version}\n${clientId}\n${state.all ? 'all' : ''}\n${state.batch}\n${planText(planned)}`).digest('base64');
    return { run: () => this.reads.kept(planned, clientId, key, answer, (page) => page.done && page.nextRecordsUrl === undefined) };
  }

  private async answer(version: string, clientId: string, state: LocatorState, caller: PlannerContext, planned: QueryPlan, object: SObjectDescription): Promise<SoqlPage> {
    if (planned.aggregate) {
      // Aggregate results come in one batch: Salesforce has no queryMore for them.
      const res = await this.call(object, { ownerId: clientId, plan: planned, pageOffset: 0, pageSize: MAX_SOQL_PAGE_SIZE, withTotal: true });
      if (res.rows.length > MAX_AGGREGATE_ROWS) {
        throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch');
      }
      const records = new RecordFormatter(object, version, caller).aggregateRecords(planned, res);
      return { totalSize: records.length, done: true, records };
    }
    const firstPage = state.totalSize < 0;
    const res = await this.call(object, {
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
    const body: SoqlPage = { totalSize, done, records };
    if (!done) {
      const next = this.locators.encode(clientId, { ...state, offset: served, totalSize, snapshot: res.snapshot });
      body.nextRecordsUrl = `/services/data/v${version}/${state.all ? 'queryAll' : 'query'}/${next}`;
    }
    return body;
  }
}
