import { IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import { OPERATION_STATUSES } from '@asyncops/domain';
import type { OperationView } from '../rpc/tracker-rpc';

/** Routing keys the tracker publishes about the records it holds. */
export const TrackerEvents = {
  OperationChanged: 'tracker.operation.changed',
  OperationDeleted: 'tracker.operation.deleted',
  CancelRequested: 'tracker.operation.cancel-requested',
} as const;

export class TrackerOperationChanged {
  @IsUUID()
  operationId!: string;

  @IsString()
  ownerId!: string;

  @IsIn(OPERATION_STATUSES)
  status!: string;

  @IsOptional()
  @IsString()
  stepName?: string | null;

  @IsInt()
  @Min(0)
  progress!: number;

  /** Monotonic per operation: consumers drop anything not newer than what they saw. */
  @IsInt()
  @Min(1)
  version!: number;

  @IsISO8601()
  changedAt!: string;

  /**
   * The whole record at this version, on a terminal change of modest size: a long-poll woken by
   * it answers with this instead of asking the tracker again.
   */
  @IsOptional()
  @IsObject()
  view?: OperationView;
}

export class TrackerOperationDeleted {
  @IsUUID()
  operationId!: string;

  @IsString()
  ownerId!: string;

  @IsISO8601()
  deletedAt!: string;
}

export class TrackerCancelRequested {
  @IsUUID()
  operationId!: string;

  @IsString()
  ownerId!: string;

  @IsString()
  @Length(1, 80)
  producer!: string;

  @IsOptional()
  @IsString()
  reason?: string;

  @IsISO8601()
  requestedAt!: string;
}
