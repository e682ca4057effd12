import { PlanCondition, PlanValue, QueryPlan, QueryPlanError } from '@asyncops/contracts';
import { SCHEMA } from '../../orders/order-row';

type Kind = 'text' | 'number' | 'timestamp' | 'numeric';
interface Column {
  sql: string;
  kind: Kind;
  /** SOQL compares text case-insensitively; identifiers the seed calls case-sensitive stay exact. */
  caseInsensitive?: boolean;
}

/** Where each OrderSummary field lives; nothing outside this map ever reaches SQL text. */
const COLUMNS: Readonly<Record<string, Column>> = {
  Id: { sql: 's."number"', kind: 'number' },
  OrderNumber: { sql: 's."order_number"', kind: 'text', caseInsensitive: true },
  ExternalReferenceIdentifier: { sql: 's."external_reference_identifier"', kind: 'text' },
  // Every summary is Created: nothing here moves it further.
  Status: { sql: `'Created'::text`, kind: 'text' },
  AccountId: { sql: 's."account_number"', kind: 'number' },
  BillToContactId: { sql: 's."bill_to_contact_number"', kind: 'number' },
  OrderedDate: { sql: 's."ordered_date"', kind: 'timestamp' },
  CurrencyIsoCode: { sql: 's."currency_iso_code"', kind: 'text' },
  GrandTotalAmount: { sql: 's."grand_total_amount"', kind: 'numeric' },
  TotalAmount: { sql: 's."total_product_amount"', kind: 'numeric' },
  SalesChannelId: { sql: 's."sales_channel_id"', kind: 'text', caseInsensitive: true },
  SalesStoreId: { sql: 's."sales_store_id"', kind: 'text', caseInsensitive: true },
  CreatedDate: { sql: 's."created_at"', kind: 'timestamp' },
  'Account.Id': { sql: 'a."number"', kind: 'number' },
  'Account.Name': { sql: 'a."name"', kind: 'text', caseInsensitive: true },
  'BillToContact.Id': { sql: 'c."number"', kind: 'number' },
  'BillToContact.Name': { sql: 'c."name"', kind: 'text', caseInsensitive: true },
};

const RELATIONSHIPS: Readonly<Record<string, string>> = { Account: 'a."number"', BillToContact: 'c."number"' };
const CAST: Record<Kind, string> = { text: 'text', number: 'bigint', timestamp: 'timestamptz', numeric: 'numeric' };

export interface CompiledOrderSummaryQuery {
  sql: string;
  values: unknown[];
  relationships: string[];
  /** Per output cell after the record number: numeric cells come back as text, ids as numbers. */
  kinds: Kind[];
}

/**
 * SOQL on OrderSummary as parameterised SQL: the owner's summaries with their account and
 * contact, filtered, in a total order (the sort keys, then the number), one page inside SOQL's
 * LIMIT and OFFSET, with the total counted by the same statement.
 */
export function compileOrderSummaryQuery(plan: QueryPlan, ownerId: string, pageOffset: number, pageSize: number): CompiledOrderSummaryQuery {
  if (plan.aggregate || plan.count) throw new QueryPlanError('plan: OrderSummary answers field queries only');
  const values: unknown[] = [];
  const param = (v: unknown, kind: Kind, array = false) => {
    values.push(v);
    return `$${values.length}::${CAST[kind]}${array ? '[]' : ''}`;
  };
  const column = (path: string): Column => {
    const c = COLUMNS[path];
    if (!c) throw new QueryPlanError(`plan: no column for ${path}`);
    return c;
  };
  const condition = (c: PlanCondition): string => {
    switch (c.kind) {
      case 'and':
      case 'or':
        return `(${c.items.map(condition).join(c.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT COALESCE(${condition(c.item)}, FALSE))`;
      case 'compare':
        return compare(column(c.field), c.op, c.value);
      case 'in': {
        const col = column(c.field);
        const present = c.values.filter((v): v is string | number => v !== null);
        const ci = col.caseInsensitive;
        const lhs = ci ? `lower(${col.sql})` : col.sql;
        const member = present.length ? `${lhs} = ANY(${param(ci ? present.map((v) => String(v).toLowerCase()) : present, col.kind, true)})` : 'FALSE';
        const hasNull = c.values.includes(null);
        if (!c.negate) return hasNull ? `(${member} OR ${col.sql} IS NULL)` : `(${member})`;
        return hasNull ? `(${col.sql} IS NOT NULL AND NOT (${member}))` : `(${col.sql} IS NULL OR NOT (${member}))`;
      }
      default:
        throw new QueryPlanError(`plan.where: ${c.kind} is not supported on OrderSummary`);
    }
  };
  const compare = (col: Column, op: string, value: PlanValue): string => {
    if (value === null) return op === '=' ? `(${col.sql} IS NULL)` : op === '!=' ? `(${col.sql} IS NOT NULL)` : 'FALSE';
    if (op === 'LIKE') return `(${col.sql} ILIKE ${param(value, 'text')} ESCAPE '\\')`;
    const lhs = col.caseInsensitive ? `lower(${col.sql})` : col.sql;
    const rhs = col.caseInsensitive ? `lower(${param(value, col.kind)})` : param(value, col.kind);
    if (op === '!=') return `(${lhs} IS DISTINCT FROM ${rhs})`;
    if (['=', '<', '<=', '>', '>='].includes(op)) return `(${lhs} ${op} ${rhs})`;
    throw new QueryPlanError(`plan.where: operator ${op}`);
  };

  const owner = param(ownerId, 'text');
  const where = [`s."owner_id" = ${owner}`];
  if (plan.where) where.push(condition(plan.where));
  const relationships: string[] = [];
  for (const path of plan.select) {
    const dot = path.indexOf('.');
    if (dot > 0 && !relationships.includes(path.slice(0, dot))) relationships.push(path.slice(0, dot));
  }
  const cells = [column('Id'), ...plan.select.map(column), ...relationships.map((r): Column => ({ sql: RELATIONSHIPS[r], kind: 'number' }))];
  const select = cells.map((c, i) => `${c.kind === 'numeric' ? `${c.sql}::text` : c.sql} AS "c${i}"`);
  select.push('count(*) OVER () AS "total"');
  const order = plan.orderBy.map((o) => `${column(o.field).sql} ${o.direction} NULLS ${o.nulls}`);
  order.push('s."number" ASC');
  const remaining = plan.limit === null ? pageSize : Math.max(0, Math.min(pageSize, plan.limit - pageOffset));
  const sql =
    `SELECT ${select.join(', ')} FROM ${SCHEMA}."order_summary" s ` +
    `JOIN ${SCHEMA}."shopper_account" a ON a."number" = s."account_number" ` +
    `LEFT JOIN ${SCHEMA}."shopper_contact" c ON c."number" = s."bill_to_contact_number" ` +
    `WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ${param(remaining, 'number')} OFFSET ${param(plan.offset + pageOffset, 'number')}`;
  return { sql, values, relationships, kinds: cells.map((c) => c.kind) };
}
