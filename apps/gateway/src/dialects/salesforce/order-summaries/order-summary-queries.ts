import { Injectable } from '@nestjs/common';
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { ORDER_SUMMARY, PlanCondition } from '@asyncops/contracts';
import { SalesforceApiError } from '../errors/salesforce-error';
import type { LocatorState } from '../query/query-locator';
import { planSoql, soqlError } from '../query/soql-planner';
import type { SalesforceCallers } from '../records/caller';
import { RecordFormatter } from '../records/record-formatter';
import { OrderSummariesClient } from './order-summaries.client';

/** True when the statement reads OrderSummary, which order-placement serves, not the tracker. */
export function isOrderSummaryQuery(soql: string): boolean {
  if (!/\bordersummary\b/i.test(soql)) return false;
  try {
    return parseQuery(soql).sObject?.toLowerCase() === ORDER_SUMMARY.name.toLowerCase();
  } catch {
    return false;
  }
}

const hasSemiJoin = (c: PlanCondition | null): boolean =>
  c !== null && (c.kind === 'semiJoin' || ((c.kind === 'and' || c.kind === 'or') && c.items.some(hasSemiJoin)) || (c.kind === 'not' && hasSemiJoin(c.item)));

/**
 * `/query` on OrderSummary: the same SOQL planner as the tracker's objects, against OrderSummary's
 * description (fields, `Account.Name`, `BillToContact.Name`, filters, ORDER BY, LIMIT, OFFSET),
 * run by order-placement. Aggregates, COUNT(), semi-joins and FOR VIEW are not served here.
 */
@Injectable()
export class OrderSummaryQueries {
  constructor(private readonly summaries: OrderSummariesClient) {}

  async page(version: string, clientId: string, state: LocatorState, callers: SalesforceCallers, nextLocator: (next: LocatorState) => string) {
    const caller = callers.of(clientId, new Date(state.now));
    const { plan, object } = planSoql(state.q, [ORDER_SUMMARY], caller);
    if (plan.aggregate || plan.count) throw soqlError('MALFORMED_QUERY', state.q, plan.count ? 'COUNT' : 'GROUP BY', 'aggregate queries are not supported on OrderSummary');
    if (hasSemiJoin(plan.where)) throw soqlError('MALFORMED_QUERY', state.q, 'SELECT', 'semi-joins are not supported on OrderSummary');
    if (plan.forView) throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'FOR VIEW is not supported on OrderSummary');
    const res = await this.summaries.query({ ownerId: clientId, plan, pageOffset: state.offset, pageSize: state.batch });
    const totalSize = state.totalSize < 0 ? res.totalSize : state.totalSize;
    const records = new RecordFormatter(object, version, caller).records(plan, { rows: res.rows, relationships: res.relationships, totalSize, snapshot: 0 });
    const served = state.offset + records.length;
    const done = records.length === 0 || served >= totalSize;
    const body: { totalSize: number; done: boolean; records: unknown[]; nextRecordsUrl?: string } = { totalSize, done, records };
    if (!done) body.nextRecordsUrl = `/services/data/v${version}/${state.all ? 'queryAll' : 'query'}/${nextLocator({ ...state, offset: served, totalSize })}`;
    return body;
  }
}
