import { parseQuery, type Query, type WhereClause } from '@jetstreamapp/soql-parser-js';
import {
  ACCOUNT_KEY_PREFIX,
  CONTACT_KEY_PREFIX,
  PENDING_ORDER_INDEXED_FIELDS,
  PENDING_ORDER_SELECTABLE,
  PENDING_ORDER_SORTABLE,
  PENDING_ORDER_SUMMARY_KEY_PREFIX,
  PendingOrderEquality,
  PendingOrderSelectable,
  PendingOrderSort,
} from '@asyncops/contracts';
import { SalesforceApiError } from '../../errors/salesforce-error';
import { decodeRecordId } from '../../ids/record-id';
import { soqlError } from '../../query/soql-planner';
import { PENDING_ORDER_SUMMARY } from '../pending-order-summary.describe';

/** A query the seed's rules allow, ready for order-placement (which adds owner and paging). */
export interface PendingOrderQueryPlan {
  /** What the client asked for, in its order. */
  requested: PendingOrderSelectable[];
  where: PendingOrderEquality[];
  orderBy: PendingOrderSort[];
  limit?: number;
}

const ID_PREFIXES: Record<string, string> = { Id: PENDING_ORDER_SUMMARY_KEY_PREFIX, AccountId: ACCOUNT_KEY_PREFIX, BillToContactId: CONTACT_KEY_PREFIX };

const canonical = <T extends string>(list: readonly T[], name: string): T | undefined => list.find((x) => x.toLowerCase() === name.toLowerCase());

/** True when the statement reads PendingOrderSummary, which order-placement serves, not the tracker. */
export function isPendingOrderSummaryQuery(soql: string): boolean {
  if (!/\bpendingordersummary\b/i.test(soql)) return false;
  try {
    return parseQuery(soql).sObject?.toLowerCase() === PENDING_ORDER_SUMMARY.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Seed 002's query rules: `=` filters on indexed fields only (joined by AND), no range filters;
 * ORDER BY with no direction, ASC without NULLS LAST, DESC with NULLS LAST only; LIMIT;
 * child-to-parent fields; convertCurrency() on the currency field.
 */
export function planPendingOrderQuery(soql: string): PendingOrderQueryPlan {
  let q: Query;
  try {
    q = parseQuery(soql) as Query;
  } catch {
    throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'unexpected token in query');
  }
  if (q.groupBy || q.having) throw soqlError('MALFORMED_QUERY', soql, 'GROUP BY', 'GROUP BY is not supported on PendingOrderSummary');
  if (q.offset !== undefined) throw soqlError('MALFORMED_QUERY', soql, 'OFFSET', 'OFFSET is not supported on PendingOrderSummary');
  if (q.for || q.update || q.usingScope || q.withDataCategory) throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'this clause is not supported on PendingOrderSummary');

  const requested: PendingOrderSelectable[] = [];
  const add = (path: PendingOrderSelectable, raw: string) => {
    const shownAs = (p: string) => (p === 'convertCurrency(GrandTotalAmount)' ? 'GrandTotalAmount' : p);
    if (requested.some((r) => shownAs(r) === shownAs(path))) throw soqlError('DUPLICATE_FIELD', soql, raw, `duplicate field selected: ${shownAs(path)}`);
    requested.push(path);
  };
  for (const f of q.fields ?? []) {
    if (f.type === 'Field') {
      if (f.field.toLowerCase() === 'externalid') throw soqlError('INVALID_FIELD', soql, f.field, `field 'ExternalId' can not be queried: it is not synced for PendingOrderSummary`);
      const path = canonical(PENDING_ORDER_SELECTABLE, f.field);
      if (!path || path.includes('.') || path.includes('(')) throw soqlError('INVALID_FIELD', soql, f.field, `No such column '${f.field}' on entity '${PENDING_ORDER_SUMMARY}'`);
      add(path, f.field);
    } else if (f.type === 'FieldRelationship') {
      const raw = f.rawValue ?? [...f.relationships, f.field].join('.');
      const path = canonical(PENDING_ORDER_SELECTABLE, raw);
      if (!path) throw soqlError('INVALID_FIELD', soql, raw, `Didn't understand relationship '${raw.split('.')[0]}' in field path, or the field does not exist on its parent`);
      add(path, raw);
    } else if (f.type === 'FieldFunctionExpression' && f.functionName.toLowerCase() === 'convertcurrency') {
      const arg = String(f.parameters?.[0] ?? '');
      if (f.parameters?.length !== 1 || arg.toLowerCase() !== 'grandtotalamount') {
        throw soqlError('INVALID_FIELD', soql, arg || 'convertCurrency', `convertCurrency can only be applied to a currency field: ${arg}`);
      }
      add('convertCurrency(GrandTotalAmount)', 'convertCurrency');
    } else {
      throw soqlError('MALFORMED_QUERY', soql, f.type === 'FieldFunctionExpression' ? f.functionName : undefined, 'only fields, parent fields and convertCurrency() can be selected from PendingOrderSummary');
    }
  }
  if (!requested.length) throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'SELECT a field list from PendingOrderSummary');

  const where: PendingOrderEquality[] = [];
  const walk = (clause: WhereClause | undefined) => {
    if (!clause) return;
    // The parser's union hides `operator`/`right` on its leaf variant; both shapes carry them optionally.
    const w = clause as WhereClause & { operator?: string; right?: WhereClause };
    const c = w.left as { field?: string; operator?: string; value?: unknown; literalType?: string; openParen?: number; closeParen?: number; logicalPrefix?: string } | null;
    if (!c || !c.field || c.logicalPrefix) throw new SalesforceApiError(400, 'INVALID_QUERY_FILTER_OPERATOR', 'PendingOrderSummary filters must be equalities on indexed fields joined by AND');
    const field = canonical(PENDING_ORDER_INDEXED_FIELDS, c.field);
    if (c.operator !== '=') {
      throw soqlError('INVALID_QUERY_FILTER_OPERATOR', soql, c.field, `operator '${String(c.operator)}' is not supported on PendingOrderSummary: only equality filters (=) on indexed fields are; range filters aren't supported`);
    }
    if (!field) {
      throw soqlError('INVALID_QUERY_FILTER_OPERATOR', soql, c.field, `field '${c.field}' is not indexed: PendingOrderSummary can only be filtered by ${PENDING_ORDER_INDEXED_FIELDS.join(', ')}`);
    }
    if (c.literalType !== 'STRING' || typeof c.value !== 'string') throw soqlError('INVALID_FIELD', soql, c.field, `value of filter criterion for field '${field}' must be of type string and should be enclosed in quotes`);
    const text = c.value.slice(1, -1).replace(/\\(.)/g, '$1');
    const prefix = ID_PREFIXES[field];
    if (prefix) {
      const decoded = decodeRecordId(prefix, text);
      if (!decoded.ok) throw soqlError('INVALID_QUERY_FILTER_OPERATOR', soql, c.field, `invalid ID field: ${text}`);
      where.push({ field, value: decoded.number });
    } else where.push({ field, value: text });
    if (w.right) {
      if (w.operator !== 'AND') throw soqlError('INVALID_QUERY_FILTER_OPERATOR', soql, w.operator ?? 'OR', `${w.operator ?? 'this'} is not supported on PendingOrderSummary: join equality filters with AND`);
      walk(w.right);
    }
  };
  walk(q.where);

  const orderBy: PendingOrderSort[] = [];
  for (const o of Array.isArray(q.orderBy) ? q.orderBy : q.orderBy ? [q.orderBy] : []) {
    const raw = 'field' in o && o.field ? o.field : undefined;
    const field = raw ? canonical(PENDING_ORDER_SORTABLE, raw) : undefined;
    if (!raw || !field) throw soqlError('INVALID_FIELD', soql, raw ?? 'ORDER BY', `field '${raw ?? '?'}' can not be sorted in a query call`);
    const direction = o.order ?? 'ASC';
    if (direction === 'ASC' && o.nulls === 'LAST') throw soqlError('MALFORMED_QUERY', soql, 'NULLS', 'PendingOrderSummary: ORDER BY … ASC can only be used with NULLS FIRST');
    if (direction === 'DESC' && o.nulls === 'FIRST') throw soqlError('MALFORMED_QUERY', soql, 'NULLS', 'PendingOrderSummary: ORDER BY … DESC can only be used with NULLS LAST');
    orderBy.push({ field, direction });
  }
  return { requested, where, orderBy, ...(q.limit !== undefined ? { limit: q.limit } : {}) };
}
