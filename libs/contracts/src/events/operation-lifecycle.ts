import { IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Min, ValidationOptions } from 'class-validator';
import { TERMINAL_STATUSES } from '@asyncops/domain';
import { MAX_ITEM_FAILURES_PER_EVENT, OPERATION_JOB_TYPES, STEP_NAME_PATTERN } from '../common';
import { OptionalIsoDate, OptionalNestedList, RequiredNested, stacked } from '../validation';

/** Routing keys producers publish on the events exchange to report an operation's lifecycle. */
export const OperationEvents = {
  Submitted: 'operation.submitted',
  Started: 'operation.started',
  StepChanged: 'operation.step-changed',
  ItemsProgressed: 'operation.items-progressed',
  Finished: 'operation.finished',
} as const;

/** Binds every lifecycle key, known or not, so unknown ones are dead-lettered, not lost. */
export const OPERATION_EVENTS_PATTERN = 'operation.*';

abstract class OperationEventBase {
  @IsUUID()
  operationId!: string;

  /** When the producer observed the change; the tracker uses it to reject stale events. */
  @IsISO8601({ strict: true })
  occurredAt!: string;
}

/**
 * The checks of an operation's optional describing fields, stated once: the same limits apply where
 * an operation is described (created, submitted) and where operations are looked up by them (listed).
 */
export const OperationFieldRules = {
  stepName: (options?: ValidationOptions) => stacked(IsOptional(), Matches(STEP_NAME_PATTERN, options)),
  correlationIdentifier: () => stacked(IsOptional(), IsString(), Length(1, 255)),
  parentOperationId: () => stacked(IsOptional(), IsUUID()),
  referenceEntityId: () => stacked(IsOptional(), IsString(), Length(1, 64)),
  referenceEntityType: () => stacked(IsOptional(), IsString(), Length(1, 40)),
  totalJobItems: () => stacked(IsOptional(), IsInt(), Min(0)),
  expiresAt: OptionalIsoDate,
};

/** What a producer states about a new operation; shared by the submitted event and the create request. */
export abstract class OperationDescription {
  @IsString()
  @Length(1, 255)
  ownerId!: string;

  @IsIn(OPERATION_JOB_TYPES)
  jobType!: string;

  /** The service that runs the work; cancellation requests are addressed to it. */
  @IsString()
  @Length(1, 80)
  producer!: string;

  @OperationFieldRules.stepName()
  stepName?: string;

  @OperationFieldRules.correlationIdentifier()
  correlationIdentifier?: string;

  @OperationFieldRules.parentOperationId()
  parentOperationId?: string;

  @OperationFieldRules.referenceEntityId()
  referenceEntityId?: string;

  @OperationFieldRules.referenceEntityType()
  referenceEntityType?: string;

  @OperationFieldRules.totalJobItems()
  totalJobItems?: number;

  @OperationFieldRules.expiresAt()
  expiresAt?: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  requestId?: string;
}

export class OperationSubmitted extends OperationDescription {
  @IsUUID()
  operationId!: string;

  @IsISO8601({ strict: true })
  occurredAt!: string;
}

/**
 * An operation's correlation identifier: the client's own, else the id of the request that started
 * the work (what the client can quote). The one place this default is made.
 */
export function correlationIdentifierOf(d: { correlationIdentifier?: string | null; requestId?: string | null }): string | null {
  return d.correlationIdentifier ?? d.requestId ?? null;
}

/** The most child operations one job may announce with its parent. */
export const MAX_SUBMITTED_CHILDREN = 20;

/** The most lifecycle events a job may report with its submit (see `SubmittedJob.events`). */
export const MAX_SUBMITTED_EVENTS = 64;

/** Routing keys of the events a job may report with its submit: everything after `submitted`. */
export const SUBMITTED_JOB_EVENT_KEYS = [OperationEvents.Started, OperationEvents.StepChanged, OperationEvents.ItemsProgressed, OperationEvents.Finished] as const;

/** One lifecycle event of a job done at once: its outbox message id, routing key and payload. */
export class SubmittedJobEvent {
  @IsUUID()
  messageId!: string;

  @IsIn(SUBMITTED_JOB_EVENT_KEYS)
  routingKey!: (typeof SUBMITTED_JOB_EVENT_KEYS)[number];

  /** Validated by the tracker as the routing key's payload. */
  @IsObject()
  payload!: Record<string, unknown>;
}

/**
 * A job as its owning service announced it: exactly the `operation.submitted` payloads it wrote
 * to its outbox (the operation, and its children where it has any), returned in its RPC reply so
 * the gateway can forward them to the tracker for read-your-writes without describing the job again.
 */
export class SubmittedJob {
  @RequiredNested(() => OperationSubmitted)
  operation!: OperationSubmitted;

  @OptionalNestedList(() => OperationSubmitted, MAX_SUBMITTED_CHILDREN)
  children?: OperationSubmitted[];

  /**
   * The operation's own lifecycle events when the accepting transaction already ran the work (a
   * job small enough to be done at once), exactly as written to the outbox, in order. The tracker
   * records them with the submit and marks their message ids processed, so the outbox copies
   * (held back like the submit's) change nothing when they arrive. Only a job without children.
   */
  @OptionalNestedList(() => SubmittedJobEvent, MAX_SUBMITTED_EVENTS)
  events?: SubmittedJobEvent[];
}

export class OperationStarted extends OperationEventBase {
  @IsOptional()
  @Matches(STEP_NAME_PATTERN)
  stepName?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  totalJobItems?: number;
}

export class OperationStepChanged extends OperationEventBase {
  @Matches(STEP_NAME_PATTERN)
  stepName!: string;
}

export class ItemFailure {
  /** The item's key in its own dialect: a voucher code, a source id, a cart item id. */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  itemKey?: string;

  /** CSV row number, counted without the header row. */
  @IsOptional()
  @IsInt()
  @Min(1)
  row?: number;

  @IsString()
  @Length(1, 2000)
  reason!: string;

  @IsOptional()
  @IsObject()
  details?: Record<string, unknown>;
}

/**
 * Counts are deltas: parallel workers of one operation each report their own batch, and the
 * idempotent consumer guarantees each message is counted once, so order does not matter.
 */
export class OperationItemsProgressed extends OperationEventBase {
  @IsInt()
  @Min(0)
  succeeded!: number;

  @IsInt()
  @Min(0)
  failed!: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  totalJobItems?: number;

  @OptionalNestedList(() => ItemFailure, MAX_ITEM_FAILURES_PER_EVENT)
  failures?: ItemFailure[];

  @IsOptional()
  @Matches(STEP_NAME_PATTERN)
  stepName?: string;
}

export class OperationErrorDetail {
  @IsString()
  @Length(1, 2000)
  message!: string;

  @IsOptional()
  @IsString()
  @Length(0, 4000)
  details?: string;

  @IsOptional()
  @IsString()
  @Length(1, 120)
  key?: string;
}

export class OperationFinished extends OperationEventBase {
  @IsIn(TERMINAL_STATUSES)
  status!: 'Completed' | 'CompletedWithFailures' | 'Failure' | 'Cancelled';

  @IsOptional()
  @IsString()
  @Length(0, 4000)
  message?: string;

  @OptionalNestedList(() => OperationErrorDetail, 1000)
  errors?: OperationErrorDetail[];

  /** The dialect-specific result document (Voucherify result, Zuora job response...). */
  @IsOptional()
  @IsObject()
  result?: Record<string, unknown>;

  /** Final counts; when present they replace the running totals. */
  @IsOptional()
  @IsInt()
  @Min(0)
  totalJobItems?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  successfulJobItems?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  failedJobItems?: number;

  @OptionalIsoDate()
  startedAt?: string;
}
