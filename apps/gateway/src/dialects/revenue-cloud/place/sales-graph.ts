import {
  COUNTRY_CODE_PATTERN,
  CURRENCY_PATTERN,
  MAX_SALES_TRANSACTION_LINES,
  MONEY_PATTERN,
  PERCENT_PATTERN,
  REGION_CODE_PATTERN,
  SalesTransactionKind,
  SalesTransactionLineInput,
  SKU_PATTERN,
} from '@asyncops/contracts';
import { SalesforceApiError } from '../../salesforce/errors/salesforce-error';

/** The sObject types of each kind's graph: the header and its line. */
export const GRAPH_TYPES: Readonly<Record<SalesTransactionKind, { header: string; line: string; parentField: string }>> = {
  Order: { header: 'Order', line: 'OrderItem', parentField: 'OrderId' },
  Quote: { header: 'Quote', line: 'QuoteLineItem', parentField: 'QuoteId' },
};

/** Header fields read, and fields a client may send that pricing does not use. */
const HEADER_FIELDS = new Set(['attributes', 'CurrencyIsoCode', 'ShippingCountryCode', 'ShippingStateCode']);
const HEADER_ACCEPTED = new Set(['Name', 'AccountId', 'Pricebook2Id', 'EffectiveDate', 'Status', 'Description', 'ExpirationDate', 'OpportunityId']);
const LINE_FIELDS = new Set(['attributes', 'OrderId', 'QuoteId', 'Product2Id', 'Quantity', 'Discount', 'DiscountAmount']);
const LINE_ACCEPTED = new Set(['PricebookEntryId', 'UnitPrice', 'ListPrice', 'Description', 'ServiceDate', 'EndDate']);

export interface GraphRecord {
  referenceId: string;
  record: Record<string, unknown>;
}

export interface ParsedSalesGraph {
  currency: string;
  shipToCountry: string;
  shipToRegion?: string;
  lines: SalesTransactionLineInput[];
}

const invalid = (errorCode: string, message: string, field: string) => new SalesforceApiError(400, errorCode, message, [field]);

function typeOf(r: GraphRecord): string {
  const attributes = r.record.attributes as { type?: unknown; method?: unknown } | undefined;
  return typeof attributes?.type === 'string' ? attributes.type : '';
}

function checkFields(r: GraphRecord, read: Set<string>, accepted: Set<string>): void {
  for (const field of Object.keys(r.record)) {
    if (!read.has(field) && !accepted.has(field)) throw invalid('INVALID_FIELD', `No such column '${field}' on sobject of type ${typeOf(r)} (record ${r.referenceId})`, field);
  }
  const method = (r.record.attributes as { method?: unknown }).method;
  if (method !== undefined && method !== 'POST') throw invalid('INVALID_INPUT', `record ${r.referenceId}: attributes.method must be POST (placing creates records)`, 'attributes.method');
}

function requiredString(r: GraphRecord, field: string, pattern: RegExp, rule: string): string {
  const v = r.record[field];
  if (v === undefined || v === null || v === '') throw invalid('REQUIRED_FIELD_MISSING', `Required fields are missing: [${field}] (record ${r.referenceId})`, field);
  if (typeof v !== 'string' || !pattern.test(v)) throw invalid('FIELD_INTEGRITY_EXCEPTION', `${field}: ${rule} (record ${r.referenceId})`, field);
  return v;
}

function optionalDecimal(r: GraphRecord, field: string, pattern: RegExp, rule: string): string | undefined {
  const v = r.record[field];
  if (v === undefined || v === null) return undefined;
  // Salesforce sends numbers as JSON numbers; they are read back as decimal strings, never summed as floats.
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
  if (typeof s !== 'string' || !pattern.test(s)) throw invalid('FIELD_INTEGRITY_EXCEPTION', `${field}: ${rule} (record ${r.referenceId})`, field);
  return s;
}

/**
 * Reads a place request's sObject graph: exactly one header record (Order / Quote) and its lines
 * (OrderItem / QuoteLineItem), each line pointing at the header by `@{ref}` or `@{ref.id}`.
 * Errors are Salesforce's, naming the field.
 */
export function parseSalesGraph(kind: SalesTransactionKind, records: GraphRecord[]): ParsedSalesGraph {
  const types = GRAPH_TYPES[kind];
  const refs = new Set<string>();
  for (const r of records) {
    if (refs.has(r.referenceId)) throw invalid('DUPLICATE_VALUE', `graph.records: referenceId ${r.referenceId} is used twice`, 'referenceId');
    refs.add(r.referenceId);
    const type = typeOf(r);
    if (type !== types.header && type !== types.line) {
      throw invalid('INVALID_TYPE', `record ${r.referenceId}: attributes.type must be ${types.header} or ${types.line}, not ${type || 'missing'}`, 'attributes.type');
    }
  }
  const headers = records.filter((r) => typeOf(r) === types.header);
  if (headers.length !== 1) throw invalid('INVALID_INPUT', `graph.records must hold exactly one ${types.header} record (found ${headers.length})`, 'graph.records');
  const header = headers[0];
  checkFields(header, HEADER_FIELDS, HEADER_ACCEPTED);
  const currency = requiredString(header, 'CurrencyIsoCode', CURRENCY_PATTERN, 'must be a 3-letter ISO currency code');
  const shipToCountry = requiredString(header, 'ShippingCountryCode', COUNTRY_CODE_PATTERN, 'must be a 2-letter ISO country code');
  const region = header.record.ShippingStateCode;
  const shipToRegion = region === undefined || region === null ? undefined : requiredString(header, 'ShippingStateCode', REGION_CODE_PATTERN, 'must be a state or province code of 1-3 letters or digits');

  const lineRecords = records.filter((r) => typeOf(r) === types.line);
  if (lineRecords.length === 0) throw invalid('INVALID_INPUT', `graph.records must hold at least one ${types.line} record`, 'graph.records');
  if (lineRecords.length > MAX_SALES_TRANSACTION_LINES) throw invalid('INVALID_INPUT', `graph.records may hold at most ${MAX_SALES_TRANSACTION_LINES} ${types.line} records`, 'graph.records');
  const parentRefs = new Set([`@{${header.referenceId}}`, `@{${header.referenceId}.id}`]);
  const lines = lineRecords.map((r) => {
    const readFields = new Set([...LINE_FIELDS].filter((f) => f !== (kind === 'Order' ? 'QuoteId' : 'OrderId')));
    checkFields(r, readFields, LINE_ACCEPTED);
    const parent = r.record[types.parentField];
    if (typeof parent !== 'string' || !parentRefs.has(parent)) {
      throw invalid('FIELD_INTEGRITY_EXCEPTION', `${types.parentField}: must reference the ${types.header} record as @{${header.referenceId}.id} (record ${r.referenceId})`, types.parentField);
    }
    const sku = requiredString(r, 'Product2Id', SKU_PATTERN, 'must name a product of the price book');
    const quantity = r.record.Quantity;
    if (quantity === undefined || quantity === null) throw invalid('REQUIRED_FIELD_MISSING', `Required fields are missing: [Quantity] (record ${r.referenceId})`, 'Quantity');
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > 1_000_000) {
      throw invalid('FIELD_INTEGRITY_EXCEPTION', `Quantity: must be a whole number from 1 to 1000000 (record ${r.referenceId})`, 'Quantity');
    }
    const discountPercent = optionalDecimal(r, 'Discount', PERCENT_PATTERN, 'must be a percentage from 0 to 100 with at most 4 decimals');
    const discountAmount = optionalDecimal(r, 'DiscountAmount', MONEY_PATTERN, 'must be an amount with at most 4 decimals');
    if (discountAmount?.startsWith('-')) throw invalid('FIELD_INTEGRITY_EXCEPTION', `DiscountAmount: must not be negative (record ${r.referenceId})`, 'DiscountAmount');
    return { sku, quantity, ...(discountPercent !== undefined ? { discountPercent } : {}), ...(discountAmount !== undefined ? { discountAmount } : {}) };
  });
  return { currency, shipToCountry, ...(shipToRegion ? { shipToRegion } : {}), lines };
}
