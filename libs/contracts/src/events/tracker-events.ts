import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import { OPERATION_STATUSES } from '@asyncops/domain';

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
