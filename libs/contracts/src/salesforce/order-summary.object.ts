import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ACCOUNT_KEY_PREFIX, CONTACT_KEY_PREFIX, ORDER_SUMMARY_KEY_PREFIX, PENDING_ORDER_CURRENCIES } from '../pending-orders/pending-orders';
import type { QueryPlan } from './query-plan';
import { SObjectDescription, SObjectField } from './sobject-description';

/**
 * OrderSummary as order-placement keeps it: what a PendingOrderSummary becomes. Read-only here
 * (retrieve, describe, SOQL); every summary is `Created`, the status Salesforce gives a new one.
 */
export const ORDER_SUMMARY_STATUSES = ['Created'] as const;

type Props = Partial<Pick<SObjectField, 'filterable' | 'groupable' | 'sortable' | 'nillable' | 'idLookup' | 'defaultedOnCreate' | 'aggregatable'>>;

function field(name: string, label: string, type: SObjectField['type'], props: Props, extra: Partial<SObjectField> = {}): SObjectField {
  return {
    name,
    label,
    type,
    valueKind: 'plain',
    filterable: true,
    groupable: false,
    aggregatable: false,
    sortable: true,
    nillable: false,
    autoNumber: false,
    idLookup: false,
    restrictedPicklist: false,
    defaultedOnCreate: false,
    ...props,
    ...extra,
  };
}

const named = (name: string, label: string, prefix: string): SObjectDescription => ({
  name,
  label,
  labelPlural: `${label}s`,
  keyPrefix: prefix,
  fields: [
    field('Id', `${label} ID`, 'id', { idLookup: true, defaultedOnCreate: true }, { valueKind: 'recordNumber', length: 18 }),
    field('Name', `${label} Name`, 'string', {}, { length: 255 }),
  ],
  relationships: {},
  capabilities: { queryable: false, retrieveable: false, deletable: false, replicateable: false, searchable: false },
});

export const ACCOUNT_OBJECT = named('Account', 'Account', ACCOUNT_KEY_PREFIX);
export const CONTACT_OBJECT = named('Contact', 'Contact', CONTACT_KEY_PREFIX);

export const ORDER_SUMMARY: SObjectDescription = {
  name: 'OrderSummary',
  label: 'Order Summary',
  labelPlural: 'Order Summaries',
  keyPrefix: ORDER_SUMMARY_KEY_PREFIX,
  fields: [
    field('Id', 'Order Summary ID', 'id', { idLookup: true, defaultedOnCreate: true }, { valueKind: 'recordNumber', length: 18 }),
    field('OrderNumber', 'Order Summary Number', 'string', { idLookup: true }, { length: 255 }),
    field('ExternalReferenceIdentifier', 'External Reference Identifier', 'string', { idLookup: true }, { length: 255 }),
    field('Status', 'Status', 'picklist', { groupable: true, defaultedOnCreate: true }, {
      length: 255,
      restrictedPicklist: true,
      picklistValues: ORDER_SUMMARY_STATUSES.map((value) => ({ value, label: value, active: true })),
    }),
    field('AccountId', 'Account ID', 'reference', { groupable: true }, { valueKind: 'recordNumber', referenceTo: ['Account'], relationshipName: 'Account', length: 18 }),
    field('BillToContactId', 'Bill To Contact ID', 'reference', { groupable: true, nillable: true }, { valueKind: 'recordNumber', referenceTo: ['Contact'], relationshipName: 'BillToContact', length: 18 }),
    field('OrderedDate', 'Ordered Date', 'datetime', {}),
    field('CurrencyIsoCode', 'Order Summary Currency', 'picklist', { groupable: true, defaultedOnCreate: true }, {
      length: 3,
      restrictedPicklist: true,
      picklistValues: PENDING_ORDER_CURRENCIES.map((value) => ({ value, label: value, active: true })),
    }),
    field('GrandTotalAmount', 'Grand Total', 'currency', {}),
    field('TotalAmount', 'Total Amount', 'currency', {}),
    field('SalesChannelId', 'Sales Channel ID', 'string', { groupable: true, nillable: true }, { length: 18 }),
    field('SalesStoreId', 'Sales Store ID', 'string', { groupable: true, nillable: true }, { length: 18 }),
    field('CreatedDate', 'Created Date', 'datetime', { defaultedOnCreate: true }),
  ],
  relationships: { Account: { target: ACCOUNT_OBJECT }, BillToContact: { target: CONTACT_OBJECT } },
  capabilities: { queryable: true, retrieveable: true, deletable: false, replicateable: false, searchable: false },
};

/** Request/reply routing keys order-placement answers for OrderSummary. */
export const OrderSummaryRpc = {
  Get: 'order-placement.rpc.get-order-summary',
  Query: 'order-placement.rpc.query-order-summaries',
  List: 'order-placement.rpc.list-order-summaries',
} as const;

export const MAX_ORDER_SUMMARY_PAGE = 2000;

export class GetOrderSummaryRequest {
  @IsString()
  ownerId!: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  number!: number;
}

export interface OrderItemSummaryView {
  line: number;
  sku: string;
  description: string | null;
  /** Decimal strings, as stored. */
  quantity: string;
  unitPrice: string;
  totalPrice: string;
}

export interface OrderSummaryView {
  number: number;
  orderNumber: string;
  externalReferenceIdentifier: string;
  status: (typeof ORDER_SUMMARY_STATUSES)[number];
  orderedDate: string;
  accountNumber: number;
  accountName: string;
  billToContactNumber: number | null;
  billToContactName: string | null;
  currencyIsoCode: string;
  grandTotalAmount: string;
  totalAmount: string;
  salesChannelId: string | null;
  salesStoreId: string | null;
  /** The PendingOrderSummary it was converted from (that record no longer exists). */
  pendingOrderSummaryNumber: number;
  createdAt: string;
  /** The lines; absent in list answers (read one summary for them). */
  items?: OrderItemSummaryView[];
}

/** SOQL on OrderSummary, planned by the gateway against ORDER_SUMMARY and checked again by order-placement. */
export class QueryOrderSummariesRequest {
  @IsString()
  ownerId!: string;

  @IsObject()
  plan!: QueryPlan;

  @IsInt()
  @Min(0)
  pageOffset!: number;

  @IsInt()
  @Min(1)
  @Max(MAX_ORDER_SUMMARY_PAGE)
  pageSize!: number;
}

export interface QueryOrderSummariesResult {
  /** As the tracker's SOQL rows: record number, the selected paths, then each relationship's reference. */
  rows: Array<Array<string | number | null>>;
  relationships: string[];
  totalSize: number;
}

/** The native list: newest first, keyset-paged by record number. */
export class ListOrderSummariesRequest {
  @IsString()
  ownerId!: string;

  @IsInt()
  @Min(1)
  @Max(200)
  limit!: number;

  /** Only summaries with a lower number (the last one of the previous page). */
  @IsOptional()
  @IsInt()
  @Min(1)
  before?: number;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  externalReferenceIdentifier?: string;

  /** Only the summary this PendingOrderSummary (by number) was converted into. */
  @IsOptional()
  @IsInt()
  @Min(1)
  pendingOrderSummaryNumber?: number;
}

export interface ListOrderSummariesResult {
  items: OrderSummaryView[];
  hasMore: boolean;
}
