import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { OPERATION_STATUSES } from '@asyncops/domain';
import { MAX_LIST_LIMIT, OPERATION_JOB_TYPES } from '../common';
import { OperationDescription, OperationFieldRules, SubmittedJob } from '../events/operation-lifecycle';
import { OptionalIsoDate } from '../validation';

/** Request/reply routing keys answered by the tracker (commands exchange). */
export const TrackerRpc = {
  CreateOperation: 'tracker.rpc.create-operation',
  /** Records a job its owning service submitted (the payloads of its outbox's `operation.submitted`). */
  RecordSubmitted: 'tracker.rpc.record-submitted',
  GetOperation: 'tracker.rpc.get-operation',
  ListOperations: 'tracker.rpc.list-operations',
  CancelOperation: 'tracker.rpc.cancel-operation',
  ListItemFailures: 'tracker.rpc.list-item-failures',
} as const;

export const TRACKER_RPC_PATTERN = 'tracker.rpc.*';

/** Read-only requests answered by the tracker from a classic queue of their own (see README "Surviving faults"). */
export const TRACKER_READ_PATTERN = 'tracker.read.*';

/** The tracker's record as every service and surface receives it; dialects format it further. */
export interface OperationView {
  id: string;
  asyncOperationNumber: string;
  correlationIdentifier: string | null;
  jobType: string;
  stepName: string | null;
  status: (typeof OPERATION_STATUSES)[number];
  submittedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  expiresAt: string | null;
  totalJobItems: number | null;
  successfulJobItems: number;
  failedJobItems: number;
  progress: number;
  processingTimeMs: number | null;
  parentOperationId: string | null;
  childCount: number;
  referenceEntityId: string | null;
  referenceEntityType: string | null;
  ownerId: string;
  producer: string;
  requestId: string | null;
  message: string | null;
  errors: Array<{ message: string; details?: string; key?: string }> | null;
  result: Record<string, unknown> | null;
  cancelRequestedAt: string | null;
  lastViewedDate: string | null;
  lastReferencedDate: string | null;
  updatedAt: string;
  version: number;
}

export interface ItemFailureView {
  id: string;
  itemKey: string | null;
  row: number | null;
  reason: string;
  details: Record<string, unknown> | null;
  recordedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export class CreateOperationRequest extends OperationDescription {
  /** Chosen by the caller so a retried request creates the record once. */
  @IsUUID()
  operationId!: string;
}

/** The gateway forwards a service's SubmittedJob unchanged; the tracker records it as the outbox event would. */
export class RecordSubmittedRequest extends SubmittedJob {}

export class GetOperationRequest {
  @IsUUID()
  operationId!: string;

  @IsString()
  ownerId!: string;

  /** Record the read as LastViewedDate/LastReferencedDate, as a Salesforce retrieve does. */
  @IsOptional()
  @IsBoolean()
  markViewed?: boolean;
}

export class ListOperationsRequest {
  @IsString()
  ownerId!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(OPERATION_STATUSES, { each: true })
  status?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @IsIn(OPERATION_JOB_TYPES, { each: true })
  jobType?: string[];

  @OperationFieldRules.stepName()
  stepName?: string;

  @OperationFieldRules.correlationIdentifier()
  correlationIdentifier?: string;

  @OperationFieldRules.parentOperationId()
  parentOperationId?: string;

  @OperationFieldRules.referenceEntityId()
  referenceEntityId?: string;

  @OptionalIsoDate()
  submittedFrom?: string;

  @OptionalIsoDate()
  submittedTo?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIST_LIMIT)
  limit!: number;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}

export class CancelOperationRequest {
  @IsUUID()
  operationId!: string;

  @IsString()
  ownerId!: string;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  reason?: string;
}

export class ListItemFailuresRequest {
  @IsUUID()
  operationId!: string;

  @IsString()
  ownerId!: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit!: number;

  @IsOptional()
  @IsString()
  @Length(1, 40)
  cursor?: string;
}

/** Stable codes carried by RPC error replies; the gateway maps them to each dialect's errors. */
export const RpcErrorCode = {
  NotFound: 'NOT_FOUND',
  Invalid: 'INVALID_REQUEST',
  Conflict: 'CONFLICT',
  Internal: 'INTERNAL',
  Timeout: 'TIMEOUT',
} as const;
export type RpcErrorCode = (typeof RpcErrorCode)[keyof typeof RpcErrorCode];
