import type { SubmittedJob } from '../events/operation-lifecycle';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { CURRENCY_PATTERN, SKU_PATTERN } from './order-placement';
import { JobSubmissionRequest, NestedList, OptionalNested, OptionalNestedList, RequiredNested } from '../validation';

/**
 * The documented subset of Zuora's "Create an order" body that the asynchronous order routes
 * accept (see README, "Zuora asynchronous orders"). Field names and nesting are Zuora's own, so a
 * Zuora client's body validates unchanged as long as it stays inside the subset. The same classes
 * validate the HTTP body at the gateway and the request/reply payload at order-placement.
 */

/** Zuora dates are calendar dates without a time. */
export const ZUORA_DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const ZUORA_ACCOUNT_NUMBER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/;
export const ZUORA_NUMBER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
export const MAX_ZUORA_SUBSCRIPTIONS = 50;
export const MAX_ZUORA_RATE_PLANS = 100;

export const ZUORA_ASYNC_JOB_TYPES = ['AsyncCreateOrder', 'AsyncPreviewOrder'] as const;
export type ZuoraAsyncJobType = (typeof ZUORA_ASYNC_JOB_TYPES)[number];

/** The tracker's ReferenceEntityType of each job type, so GET /v1/async-jobs knows which is which. */
export const ZUORA_REFERENCE_ENTITY_TYPES: Readonly<Record<ZuoraAsyncJobType, string>> = {
  AsyncCreateOrder: 'ZuoraOrder',
  AsyncPreviewOrder: 'ZuoraOrderPreview',
};

export class ZuoraContact {
  @IsString()
  @Length(1, 100)
  firstName!: string;

  @IsString()
  @Length(1, 100)
  lastName!: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  country?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  state?: string;

  @IsOptional()
  @IsString()
  @Length(1, 80)
  workEmail?: string;
}

export class ZuoraNewAccount {
  @IsString()
  @Length(1, 255)
  name!: string;

  @Matches(CURRENCY_PATTERN, { message: 'currency must be a 3-letter ISO 4217 code' })
  currency!: string;

  /** When absent, one is assigned (A00000001, ...). */
  @IsOptional()
  @Matches(ZUORA_ACCOUNT_NUMBER_PATTERN)
  accountNumber?: string;

  @RequiredNested(() => ZuoraContact)
  billToContact!: ZuoraContact;
}

export class ZuoraRecurringPerUnitPricing {
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity!: number;
}

export class ZuoraChargePricing {
  @OptionalNested(() => ZuoraRecurringPerUnitPricing)
  recurringPerUnit?: ZuoraRecurringPerUnitPricing;
}

export class ZuoraChargeOverride {
  @IsOptional()
  @IsString()
  @Length(1, 64)
  productRatePlanChargeId?: string;

  @OptionalNested(() => ZuoraChargePricing)
  pricing?: ZuoraChargePricing;
}

export class ZuoraRatePlan {
  /** The product's SKU in the price book. */
  @Matches(SKU_PATTERN, { message: 'productRatePlanId must name a product of the price book' })
  productRatePlanId!: string;

  /** Only the first override's recurringPerUnit.quantity is read (default 1). */
  @OptionalNestedList(() => ZuoraChargeOverride, 10)
  chargeOverrides?: ZuoraChargeOverride[];
}

export class ZuoraTerm {
  @IsInt()
  @Min(1)
  @Max(1200)
  period!: number;

  @IsIn(['Month', 'Year'])
  periodType!: 'Month' | 'Year';

  @IsIn(['TERMED', 'EVERGREEN'])
  termType!: 'TERMED' | 'EVERGREEN';
}

export class ZuoraTerms {
  @RequiredNested(() => ZuoraTerm)
  initialTerm!: ZuoraTerm;

  @IsOptional()
  @IsBoolean()
  autoRenew?: boolean;
}

export class ZuoraCreateSubscription {
  @NestedList(() => ZuoraRatePlan, { max: MAX_ZUORA_RATE_PLANS })
  subscribeToRatePlans!: ZuoraRatePlan[];

  @OptionalNested(() => ZuoraTerms)
  terms?: ZuoraTerms;
}

export class ZuoraOrderAction {
  /** Only new subscriptions are in the subset. */
  @IsIn(['CreateSubscription'])
  type!: 'CreateSubscription';

  @RequiredNested(() => ZuoraCreateSubscription)
  createSubscription!: ZuoraCreateSubscription;
}

export class ZuoraOrderSubscription {
  @IsOptional()
  @Matches(ZUORA_NUMBER_PATTERN)
  subscriptionNumber?: string;

  @NestedList(() => ZuoraOrderAction, { max: 1 })
  orderActions!: ZuoraOrderAction[];
}

export class ZuoraProcessingOptions {
  @IsOptional()
  @IsBoolean()
  runBilling?: boolean;

  /** Needs runBilling: the payment settles the invoice the order made. */
  @IsOptional()
  @IsBoolean()
  collectPayment?: boolean;
}

export class ZuoraPreviewOptions {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(['ChargeMetrics', 'BillingDocs', 'OrderMetrics'], { each: true })
  previewTypes?: string[];

  @IsOptional()
  @IsIn(['SpecificDate', 'TermEnd', 'NumberOfPeriods'])
  previewThruType?: string;
}

export class ZuoraOrderBody {
  // The pattern fixes the format, the ISO check the calendar (no 2026-02-30): the date is stored.
  @Matches(ZUORA_DATE_PATTERN, { message: 'orderDate must be a date as yyyy-mm-dd' })
  @IsISO8601({ strict: true }, { message: 'orderDate must be a calendar date' })
  orderDate!: string;

  @IsOptional()
  @Matches(ZUORA_NUMBER_PATTERN)
  orderNumber?: string;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string;

  /** Exactly one of existingAccountNumber and newAccount. */
  @IsOptional()
  @Matches(ZUORA_ACCOUNT_NUMBER_PATTERN)
  existingAccountNumber?: string;

  @OptionalNested(() => ZuoraNewAccount)
  newAccount?: ZuoraNewAccount;

  @NestedList(() => ZuoraOrderSubscription, { max: MAX_ZUORA_SUBSCRIPTIONS })
  subscriptions!: ZuoraOrderSubscription[];

  @OptionalNested(() => ZuoraProcessingOptions)
  processingOptions?: ZuoraProcessingOptions;

  /** Preview only. */
  @OptionalNested(() => ZuoraPreviewOptions)
  previewOptions?: ZuoraPreviewOptions;
}

/** Request/reply routing key: the synchronous part of an async order (the job exists when it answers). */
export const ZuoraOrderRpc = {
  SubmitOrder: 'order-placement.rpc.submit-zuora-order',
} as const;

/** The job itself, one message, sent by order-placement to itself. */
export const ZuoraOrderCommands = {
  ProcessOrder: 'order-placement.cmd.process-zuora-order',
} as const;

/** Its operationId is the jobId. */
export class SubmitZuoraOrderRequest extends JobSubmissionRequest {
  @IsIn(ZUORA_ASYNC_JOB_TYPES)
  jobType!: ZuoraAsyncJobType;

  @RequiredNested(() => ZuoraOrderBody)
  order!: ZuoraOrderBody;
}

export interface SubmitZuoraOrderResult {
  jobId: string;
  zuoraOrderId: string;
  jobType: ZuoraAsyncJobType;
  /** The `operation.submitted` order-placement wrote, for the gateway to forward to the tracker. */
  submitted: SubmittedJob;
}

export class ProcessZuoraOrderCommand {
  @IsUUID()
  operationId!: string;

  @IsUUID()
  zuoraOrderId!: string;
}
