import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  isIn,
  isISO8601,
  isString,
  length,
  matches,
  maxLength,
  ValidateBy,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { ORDER_CURRENCY_CODES } from '@asyncops/soql';
import { MAX_PAYLOAD_CHARS, PAYLOAD_TYPES, PayloadType } from './pending-order-payload';

/** Request/reply routing keys order-placement answers for PendingOrderSummary (seed 002). */
export const PendingOrderRpc = {
  Ingest: 'order-placement.rpc.ingest-pending-orders',
  Get: 'order-placement.rpc.get-pending-order',
  Delete: 'order-placement.rpc.delete-pending-order',
  Import: 'order-placement.rpc.import-pending-order',
} as const;

/** The conversion work order-placement sends itself, a chunk of pending records per message. */
export const PendingOrderCommands = {
  Convert: 'order-placement.conversion.convert-pending-orders',
} as const;

/** One per conversion attempt's outcome (seed 002's completion event). */
export const PendingOrderEvents = {
  Processed: 'pending-order.processed',
} as const;

/** CurrencyIsoCode's restricted picklist (seed 002) and its default. */
export const PENDING_ORDER_CURRENCIES = ORDER_CURRENCY_CODES;
export const DEFAULT_PENDING_ORDER_CURRENCY = 'USD';
/** A currency field: numeric(18,2), as Salesforce stores currency amounts. */
export const CURRENCY_AMOUNT_PATTERN = /^-?\d{1,16}(\.\d{1,2})?$/;
export const MAX_PENDING_ORDERS_PER_REQUEST = 1000;
export const MAX_PENDING_ORDER_NUMBERS_PER_COMMAND = 200;

/** How conversion finds the shopper's account and contact (ProcessingInstructions `accountMatching`). */
export const ACCOUNT_MATCHING = ['Email', 'MatchingRule'] as const;
export type AccountMatching = (typeof ACCOUNT_MATCHING)[number];

/** A checked PendingOrderSummary as it travels to order-placement (camelCase of the API names). */
export class PendingOrderRecord {
  @IsString()
  @Length(1, 255)
  externalReferenceIdentifier!: string;

  @IsString()
  @Length(1, 255)
  orderNumber!: string;

  @IsISO8601({ strict: true })
  orderedDate!: string;

  @IsString()
  @Length(1, 255)
  shopperName!: string;

  @IsString()
  @Length(3, 80)
  billingEmailAddress!: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  billingPhoneNumber?: string;

  @IsIn(PENDING_ORDER_CURRENCIES)
  currencyIsoCode!: string;

  @Matches(CURRENCY_AMOUNT_PATTERN)
  grandTotalAmount!: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  description?: string;

  @IsString()
  @MaxLength(MAX_PAYLOAD_CHARS)
  payload!: string;

  @IsIn(PAYLOAD_TYPES)
  payloadType!: PayloadType;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_PAYLOAD_CHARS)
  processingInstructions?: string;

  @IsOptional()
  @IsString()
  @Length(15, 18)
  salesChannelId?: string;

  @IsOptional()
  @IsString()
  @Length(15, 18)
  salesStoreId?: string;
}

type FieldRule = (value: unknown) => boolean;
const optional =
  (rule: FieldRule): FieldRule =>
  (v) =>
    v === undefined || v === null || rule(v);
const text =
  (min: number, max: number): FieldRule =>
  (v) =>
    isString(v) && length(v, min, max);

/**
 * `PendingOrderRecord`'s rules, field by field, as the same class-validator checks, and no other
 * field (the registry's whitelist). The ingest request checks its records with these instead of
 * an instance of the class each: a request carries a thousand, and the instances and the nested
 * validation cost more than writing them.
 */
const PENDING_ORDER_RECORD_RULES: Record<keyof PendingOrderRecord, FieldRule> = {
  externalReferenceIdentifier: text(1, 255),
  orderNumber: text(1, 255),
  orderedDate: (v) => isISO8601(v, { strict: true }),
  shopperName: text(1, 255),
  billingEmailAddress: text(3, 80),
  billingPhoneNumber: optional((v) => isString(v) && maxLength(v, 40)),
  currencyIsoCode: (v) => isIn(v, PENDING_ORDER_CURRENCIES as readonly unknown[] as unknown[]),
  grandTotalAmount: (v) => matches(v as string, CURRENCY_AMOUNT_PATTERN),
  description: optional((v) => isString(v) && maxLength(v, 255)),
  payload: (v) => isString(v) && maxLength(v, MAX_PAYLOAD_CHARS),
  payloadType: (v) => isIn(v, PAYLOAD_TYPES as readonly unknown[] as unknown[]),
  processingInstructions: optional((v) => isString(v) && maxLength(v, MAX_PAYLOAD_CHARS)),
  salesChannelId: optional(text(15, 18)),
  salesStoreId: optional(text(15, 18)),
};
const RECORD_RULE_ENTRIES = Object.entries(PENDING_ORDER_RECORD_RULES);

/** What is wrong with one record against `PendingOrderRecord`'s rules, as `field: problem` lines. */
export function pendingOrderRecordProblems(record: unknown): string[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return ['must be an object'];
  const fields = record as Record<string, unknown>;
  const problems: string[] = [];
  for (const [field, rule] of RECORD_RULE_ENTRIES) if (!rule(fields[field])) problems.push(`${field}: missing or invalid`);
  for (const field of Object.keys(fields)) if (!Object.hasOwn(PENDING_ORDER_RECORD_RULES, field)) problems.push(`${field}: property should not exist`);
  return problems;
}

const firstRecordProblems = (records: unknown[]): string[] => {
  for (const [i, r] of records.entries()) {
    const problems = pendingOrderRecordProblems(r);
    if (problems.length) return problems.map((p) => `[${i}].${p}`);
  }
  return [];
};

export class IngestPendingOrdersRequest {
  @IsString()
  ownerId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PENDING_ORDERS_PER_REQUEST)
  @ValidateBy({
    name: 'pendingOrderRecords',
    validator: {
      validate: (v: unknown) => Array.isArray(v) && firstRecordProblems(v).length === 0,
      defaultMessage: (args) => (Array.isArray(args?.value) ? firstRecordProblems(args.value).join('; ') : 'must be an array of records'),
    },
  })
  orders!: PendingOrderRecord[];
}

/** Per order, in request order: the record's number, or the existing record's for a duplicate. */
export type IngestOutcome =
  | { ok: true; number: number }
  | { ok: false; errorCode: 'DUPLICATE_VALUE'; duplicateOf: { object: 'PendingOrderSummary' | 'OrderSummary'; number: number } };

export interface IngestPendingOrdersResult {
  outcomes: IngestOutcome[];
}

export class PendingOrderRef {
  @IsString()
  ownerId!: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  number!: number;
}

/** A stored PendingOrderSummary; amounts stay decimal strings. */
export interface PendingOrderView {
  number: number;
  externalReferenceIdentifier: string;
  orderNumber: string;
  orderedDate: string;
  shopperName: string;
  billingEmailAddress: string;
  billingPhoneNumber: string | null;
  currencyIsoCode: string;
  grandTotalAmount: string;
  description: string | null;
  payload: string;
  payloadType: PayloadType;
  processingInstructions: string | null;
  salesChannelId: string | null;
  salesStoreId: string | null;
  accountNumber: number | null;
  billToContactNumber: number | null;
  createdAt: string;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
}

export interface DeletePendingOrderResult {
  deleted: true;
}

/** What one conversion did; `orderSummaryNumber` is set on success. */
export interface ConversionOutcome {
  isSuccess: boolean;
  orderSummaryNumber: number | null;
  externalReferenceIdentifier: string;
  errorCode: string | null;
  errorMessage: string | null;
}

export class ConvertPendingOrdersCommand {
  @IsString()
  ownerId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PENDING_ORDER_NUMBERS_PER_COMMAND)
  @IsInt({ each: true })
  @Min(1, { each: true })
  numbers!: number[];
}

/** The completion event; field names are the seed's. */
export class PendingOrderProcessed {
  @IsString()
  ownerId!: string;

  @IsInt()
  @Min(1)
  pendingOrderSummaryNumber!: number;

  @IsBoolean()
  IsSuccess!: boolean;

  /** The OrderSummary's 18-character id when IsSuccess. */
  @IsOptional()
  @IsString()
  OrderSummaryId?: string;

  @IsString()
  ExternalReferenceIdentifier!: string;

  @IsOptional()
  @IsString()
  ErrorCode?: string;

  @IsOptional()
  @IsString()
  ErrorMessage?: string;

  @IsISO8601({ strict: true })
  processedAt!: string;
}

/** Key prefixes of the record ids this feature mints: Salesforce's own for Account, Contact and OrderSummary. */
export { ACCOUNT_KEY_PREFIX, CONTACT_KEY_PREFIX, ORDER_SUMMARY_KEY_PREFIX, PENDING_ORDER_SUMMARY_KEY_PREFIX } from '@asyncops/soql';

/**
 * Conversion has its own queue, so a backlog of ingested orders never delays cart placement
 * batches waiting on the commands queue.
 */
export const PENDING_ORDER_CONVERSION_PATTERN = 'order-placement.conversion.*';
