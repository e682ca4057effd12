import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';
import type { QueryPlan } from '@asyncops/soql';
import { RecordNumberList } from '../validation';

/** Request/reply routing keys the tracker answers for the Salesforce surface (commands exchange). */
export const SalesforceTrackerRpc = {
  DeleteOperation: 'tracker.rpc.delete-operation',
  /** Read-only: on the tracker's classic queue of reads. */
  SoqlQuery: 'tracker.read.soql-query',
  UpdatedOperations: 'tracker.rpc.updated-operations',
  DeletedOperations: 'tracker.rpc.deleted-operations',
  DeleteOperations: 'tracker.rpc.delete-operations',
  FindTombstones: 'tracker.rpc.find-tombstones',
} as const;

/**
 * SOQL on the objects order-placement owns (OrderSummary, PendingOrderSummary): the same
 * request and answer as the tracker's, planned by the gateway and checked again by the owner.
 */
export const OrderPlacementSoqlRpc = {
  /** Read-only: on order-placement's classic queue of reads. */
  Query: 'order-placement.read.soql-query',
} as const;

/** Salesforce's sObject Collections ceilings: ids per delete, ids per retrieve. */
export const MAX_COLLECTION_DELETE_IDS = 200;
export const MAX_COLLECTION_RETRIEVE_IDS = 2000;

/** The largest page a SOQL request may ask for (Salesforce's batch size ceiling). */
export const MAX_SOQL_PAGE_SIZE = 2000;
/** Salesforce's limit on the ids one getUpdated/getDeleted call returns. */
export const MAX_REPLICATION_IDS = 600_000;

export class DeleteOperationRequest {
  @IsString()
  ownerId!: string;

  /** Records on this surface are addressed by their auto-number (the id encodes it). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  asyncOperationNumber!: number;
}

export interface DeleteOperationResponse {
  operationId: string;
  deletedAt: string;
}

export class SoqlQueryRequest {
  @IsString()
  ownerId!: string;

  /** Checked again by the tracker with assertValidPlan. */
  @IsObject()
  plan!: QueryPlan;

  /** Rows of the query already returned by earlier pages. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  pageOffset!: number;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SOQL_PAGE_SIZE)
  pageSize!: number;

  /**
   * The highest auto-number visible when the first page ran: later pages ignore records created
   * since, so inserts cannot shift rows between pages. Absent on the first page.
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  snapshot?: number;

  /** Ask for totalSize (first page only; later pages carry it in their locator). */
  @IsBoolean()
  withTotal!: boolean;
}

export interface SoqlQueryResponse {
  /** Every row is one value per `plan.select` path, then one per relationship in `relationships`. */
  rows: Array<Array<string | number | null>>;
  /** Relationships whose reference value (auto-number or owner id, null when absent) ends each row. */
  relationships: string[];
  totalSize: number | null;
  snapshot: number;
}

export class ReplicationWindowRequest {
  @IsString()
  ownerId!: string;

  @IsISO8601({ strict: true })
  start!: string;

  @IsISO8601({ strict: true })
  end!: string;

  @IsIn(['AsyncOperationTracker'])
  object!: string;
}

export interface UpdatedOperationsResponse {
  asyncOperationNumbers: number[];
}

export interface DeletedOperationsResponse {
  deleted: Array<{ asyncOperationNumber: number; deletedAt: string }>;
  /** The oldest moment tombstones are still kept for. */
  earliestDateAvailable: string;
}

/** sObject Collections delete: several records of one owner, atomically when allOrNone. */
export class DeleteOperationsRequest {
  @IsString()
  ownerId!: string;

  @RecordNumberList(MAX_COLLECTION_DELETE_IDS)
  asyncOperationNumbers!: number[];

  /** Delete nothing unless every record can be deleted. */
  @IsBoolean()
  allOrNone!: boolean;
}

/** Per requested number, in request order: deleted now, deleted earlier (a tombstone), or never found. */
export type DeleteOutcome = 'deleted' | 'alreadyDeleted' | 'notFound';

export interface DeleteOperationsResponse {
  outcomes: DeleteOutcome[];
  /** True when allOrNone refused the whole request because one record could not be deleted. */
  rolledBack: boolean;
}

/** Which of an owner's auto-numbers were deleted (a tombstone is kept): ENTITY_IS_DELETED instead of NOT_FOUND. */
export class FindTombstonesRequest {
  @IsString()
  ownerId!: string;

  @RecordNumberList(MAX_COLLECTION_RETRIEVE_IDS)
  asyncOperationNumbers!: number[];
}

export interface FindTombstonesResponse {
  deleted: number[];
}
