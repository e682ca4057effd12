import type { SubmittedJob } from '../events/operation-lifecycle';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { CURRENCY_PATTERN, MONEY_PATTERN, SKU_PATTERN } from './order-placement';
import { JobSubmissionRequest, NestedList } from '../validation';

/**
 * Revenue Cloud's place actions (seed 000: PlaceOrder / PlaceQuote with their price, tax and
 * persist steps) after the gateway has read the request's sObject graph: one header and its lines.
 */
export const SALES_TRANSACTION_KINDS = ['Order', 'Quote'] as const;
export type SalesTransactionKind = (typeof SALES_TRANSACTION_KINDS)[number];

export const COUNTRY_CODE_PATTERN = /^[A-Z]{2}$/;
export const REGION_CODE_PATTERN = /^[A-Z0-9]{1,3}$/;
/** A percentage with up to 4 decimals, 0-100. */
export const PERCENT_PATTERN = /^(100(\.0{1,4})?|\d{1,2}(\.\d{1,4})?)$/;
export const MAX_SALES_TRANSACTION_LINES = 2000;

/** The JobType and child job types of each kind (seed 000). */
export const SALES_TRANSACTION_JOB_TYPES: Readonly<Record<SalesTransactionKind, { parent: string; price: string; tax: string; persist: string }>> = {
  Order: { parent: 'PlaceOrder', price: 'PlaceOrderPriceAsync', tax: 'PlaceOrderTaxAsync', persist: 'PlaceOrderPersistSync' },
  Quote: { parent: 'PlaceQuote', price: 'PlaceQuotePriceAsync', tax: 'PlaceQuoteTaxAsync', persist: 'PlaceQuotePersistSync' },
};

export class SalesTransactionLineInput {
  /** The product's SKU in the price book (Product2Id). */
  @Matches(SKU_PATTERN)
  sku!: string;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity!: number;

  /** A line adjustment: percent off the line's list amount. */
  @IsOptional()
  @Matches(PERCENT_PATTERN)
  discountPercent?: string;

  /** A line adjustment: an amount off the line, after the percentage. */
  @IsOptional()
  @Matches(MONEY_PATTERN)
  discountAmount?: string;
}

/**
 * Its operationId is the parent operation's (PlaceOrder / PlaceQuote): the record is created once per
 * id, and order-placement derives the price and tax children's ids from it.
 */
export class PlaceSalesTransactionRequest extends JobSubmissionRequest {
  @IsIn(SALES_TRANSACTION_KINDS)
  kind!: SalesTransactionKind;

  @Matches(CURRENCY_PATTERN)
  currency!: string;

  @Matches(COUNTRY_CODE_PATTERN)
  shipToCountry!: string;

  @IsOptional()
  @Matches(REGION_CODE_PATTERN)
  shipToRegion?: string;

  /** System: price from the price book; Skip is not offered, because nothing else could price. */
  @IsOptional()
  @IsIn(['System', 'Force'])
  pricingPref?: string;

  @NestedList(() => SalesTransactionLineInput, { max: MAX_SALES_TRANSACTION_LINES })
  lines!: SalesTransactionLineInput[];
}

/** Salesforce key prefixes of the records (Order 801, Quote 0Q0). */
export const SALES_TRANSACTION_KEY_PREFIXES: Readonly<Record<SalesTransactionKind, string>> = { Order: '801', Quote: '0Q0' };

export interface PlaceSalesTransactionResult {
  recordId: string;
  /** The record's 18-character Salesforce id. */
  salesforceId: string;
  operationId: string;
  /** The `operation.submitted` payloads order-placement wrote (the parent, its price and tax children), for the gateway to forward. */
  submitted: SubmittedJob;
}

/** Request/reply: the record and its operations exist when this answers. */
export const SalesTransactionRpc = {
  Place: 'order-placement.rpc.place-sales-transaction',
} as const;

/** The asynchronous steps, each a message order-placement sends itself. */
export const SalesTransactionCommands = {
  Price: 'order-placement.cmd.price-sales-transaction',
  Tax: 'order-placement.cmd.tax-sales-transaction',
  Persist: 'order-placement.cmd.persist-sales-transaction',
} as const;

export class SalesTransactionStepCommand {
  @IsIn(SALES_TRANSACTION_KINDS)
  kind!: SalesTransactionKind;

  @IsUUID()
  recordId!: string;

  @IsUUID()
  operationId!: string;
}
