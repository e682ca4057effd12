import { PendingOrderQueryRequest, PendingOrderSelectable } from '@asyncops/contracts';
import { SCHEMA } from '../../../orders/order-row';

/** Where each queryable path lives; nothing outside this map ever reaches SQL text. */
const COLUMNS: Record<PendingOrderSelectable, string> = {
  Id: 'p."number"',
  AccountId: 'p."account_number"',
  BillToContactId: 'p."bill_to_contact_number"',
  BillingEmailAddress: 'p."billing_email_address"',
  BillingPhoneNumber: 'p."billing_phone_number"',
  CurrencyIsoCode: 'p."currency_iso_code"',
  Description: 'p."description"',
  ExternalReferenceIdentifier: 'p."external_reference_identifier"',
  GrandTotalAmount: 'p."grand_total_amount"::text',
  OrderNumber: 'p."order_number"',
  OrderedDate: `to_char(p."ordered_date" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  Payload: 'p."payload"',
  PayloadType: 'p."payload_type"',
  ProcessingInstructions: 'p."processing_instructions"',
  SalesChannelId: 'p."sales_channel_id"',
  SalesStoreId: 'p."sales_store_id"',
  ShopperName: 'p."shopper_name"',
  'Account.Id': 'a."number"',
  'Account.Name': 'a."name"',
  'BillToContact.Id': 'c."number"',
  'BillToContact.Name': 'c."name"',
  'convertCurrency(GrandTotalAmount)': 'round(p."grand_total_amount" / r."conversion_rate", 2)::text',
};

/** Sort keys compare typed values, not their display text. */
const SORT_COLUMNS: Partial<Record<string, string>> = { GrandTotalAmount: 'p."grand_total_amount"', OrderedDate: 'p."ordered_date"' };

const ID_FIELDS = new Set(['Id', 'AccountId', 'BillToContactId']);

export class PendingOrderQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PendingOrderQueryError';
  }
}

export interface CompiledQuery {
  rows: { sql: string; params: unknown[] };
  count: { sql: string; params: unknown[] };
}

/**
 * Parameterised SQL for a checked query. Seed 002's null ordering is SQL's opposite default, so
 * it is spelt out: ASC sorts NULLS FIRST, DESC NULLS LAST. The record number breaks ties, so
 * pages never overlap.
 */
export function compilePendingOrderQuery(q: PendingOrderQueryRequest): CompiledQuery {
  const params: unknown[] = [q.ownerId];
  const where = ['p."owner_id" = $1'];
  for (const w of q.where) {
    if (ID_FIELDS.has(w.field) ? !Number.isSafeInteger(w.value) : typeof w.value !== 'string') throw new PendingOrderQueryError(`where.${w.field}: value of the wrong type`);
    params.push(w.value);
    where.push(`${COLUMNS[w.field as PendingOrderSelectable]} = $${params.length}`);
  }
  const from = `FROM ${SCHEMA}."pending_order_summary" p
    LEFT JOIN ${SCHEMA}."shopper_account" a ON a."number" = p."account_number"
    LEFT JOIN ${SCHEMA}."shopper_contact" c ON c."number" = p."bill_to_contact_number"
    LEFT JOIN ${SCHEMA}."currency_rate" r ON r."iso_code" = p."currency_iso_code"
    WHERE ${where.join(' AND ')}`;
  const order = q.orderBy.map((o) => `${SORT_COLUMNS[o.field] ?? COLUMNS[o.field as PendingOrderSelectable]} ${o.direction === 'ASC' ? 'ASC NULLS FIRST' : 'DESC NULLS LAST'}`);
  order.push('p."number" ASC');
  const remaining = q.limit === undefined ? q.pageSize : Math.max(0, Math.min(q.pageSize, q.limit - q.offset));
  const rowParams = [...params, remaining, q.offset];
  const select = q.select.map((s, i) => `${COLUMNS[s]} AS "c${i}"`).join(', ');
  return {
    rows: { sql: `SELECT ${select} ${from} ORDER BY ${order.join(', ')} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, params: rowParams },
    count: { sql: `SELECT count(*)::int AS "n" ${from}`, params },
  };
}
