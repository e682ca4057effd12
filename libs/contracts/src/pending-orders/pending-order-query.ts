import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';

/**
 * SOQL on PendingOrderSummary after the gateway checked it against seed 002's rules. The object is
 * an OLTP store: filters are equalities on indexed fields only, so every query is an index lookup
 * (or a bounded scan in index order), never an arbitrary predicate.
 */
export const PendingOrderQueryRpc = {
  Query: 'order-placement.rpc.query-pending-orders',
} as const;

/** Seed 002's index (ExternalReferenceIdentifier) and the secondary indexes the reference fields imply. */
export const PENDING_ORDER_INDEXED_FIELDS = ['Id', 'ExternalReferenceIdentifier', 'AccountId', 'BillToContactId', 'SalesChannelId', 'SalesStoreId'] as const;

/** Everything a query may select: the object's fields (ExternalId is not queryable, per the seed), parents' names, and the converted amount. */
export const PENDING_ORDER_SELECTABLE = [
  'Id',
  'AccountId',
  'BillToContactId',
  'BillingEmailAddress',
  'BillingPhoneNumber',
  'CurrencyIsoCode',
  'Description',
  'ExternalReferenceIdentifier',
  'GrandTotalAmount',
  'OrderNumber',
  'OrderedDate',
  'Payload',
  'PayloadType',
  'ProcessingInstructions',
  'SalesChannelId',
  'SalesStoreId',
  'ShopperName',
  'Account.Id',
  'Account.Name',
  'BillToContact.Id',
  'BillToContact.Name',
  'convertCurrency(GrandTotalAmount)',
] as const;
export type PendingOrderSelectable = (typeof PENDING_ORDER_SELECTABLE)[number];

/** Fields ORDER BY accepts: the sortable ones of seed 002. */
export const PENDING_ORDER_SORTABLE = [
  'Id',
  'AccountId',
  'BillToContactId',
  'BillingEmailAddress',
  'BillingPhoneNumber',
  'CurrencyIsoCode',
  'Description',
  'ExternalReferenceIdentifier',
  'GrandTotalAmount',
  'OrderNumber',
  'OrderedDate',
  'PayloadType',
  'SalesChannelId',
  'SalesStoreId',
  'ShopperName',
] as const;

/** convertCurrency() converts into the corporate currency, in which the rates table is kept. */
export const CORPORATE_CURRENCY = 'USD';
export const MAX_PENDING_ORDER_QUERY_PAGE = 2000;

export class PendingOrderEquality {
  @IsIn(PENDING_ORDER_INDEXED_FIELDS)
  field!: string;

  /** Record numbers for the id fields, text for the others; order-placement checks which. */
  @IsDefined()
  value!: string | number;
}

export class PendingOrderSort {
  @IsIn(PENDING_ORDER_SORTABLE)
  field!: string;

  @IsIn(['ASC', 'DESC'])
  direction!: 'ASC' | 'DESC';
}

export class PendingOrderQueryRequest {
  @IsString()
  ownerId!: string;

  @IsArray()
  @ArrayMaxSize(PENDING_ORDER_SELECTABLE.length)
  @IsIn(PENDING_ORDER_SELECTABLE, { each: true })
  select!: PendingOrderSelectable[];

  @IsArray()
  @ArrayMaxSize(PENDING_ORDER_INDEXED_FIELDS.length)
  @ValidateNested({ each: true })
  @Type(() => PendingOrderEquality)
  where!: PendingOrderEquality[];

  @IsArray()
  @ArrayMaxSize(PENDING_ORDER_SORTABLE.length)
  @ValidateNested({ each: true })
  @Type(() => PendingOrderSort)
  orderBy!: PendingOrderSort[];

  /** Rows to skip (earlier pages), then at most pageSize rows. */
  @IsInt()
  @Min(0)
  offset!: number;

  @IsInt()
  @Min(0)
  @Max(MAX_PENDING_ORDER_QUERY_PAGE)
  pageSize!: number;

  /** The query's LIMIT, the ceiling of totalSize. */
  @IsOptional()
  @IsInt()
  @Min(0)
  limit?: number;
}

export interface PendingOrderQueryResult {
  /** One value per selected path, in `select` order; ids as record numbers, amounts as decimal strings. */
  rows: Array<Array<string | number | null>>;
  totalSize: number;
}
