import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { OPERATION_JOB_TYPES } from '../common';
import { stacked } from '../validation';

/** Request/reply keys of the tracker's owner-scoped change log (under tracker.rpc.*). */
export const LiveEventsRpc = {
  ListOperationEvents: 'tracker.rpc.list-operation-events',
} as const;

export const MAX_OPERATION_EVENTS_LIMIT = 500;

/** What a live event stream or a webhook may be narrowed to: one operation, or one job type. */
export const OperationScope = {
  operationId: () => stacked(IsOptional(), IsUUID()),
  jobType: () => stacked(IsOptional(), IsIn(OPERATION_JOB_TYPES)),
};

/** Events of one owner with `seq > afterSeq`, oldest first; without afterSeq, none, only the head. */
export class ListOperationEventsRequest {
  @IsString()
  ownerId!: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  afterSeq?: number;

  @OperationScope.operationId()
  operationId?: string;

  @OperationScope.jobType()
  jobType?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_OPERATION_EVENTS_LIMIT)
  limit!: number;
}

/** One recorded change of an operation, as the live event stream sends it. */
export interface OperationEventView {
  seq: number;
  operationId: string;
  jobType: string;
  status: string;
  stepName: string | null;
  progress: number;
  totalJobItems: number | null;
  successfulJobItems: number;
  failedJobItems: number;
  version: number;
  changedAt: string;
}

export interface OperationEventsPage {
  items: OperationEventView[];
  /** The highest sequence number assigned so far (all owners): where a fresh stream starts. */
  head: number;
}
