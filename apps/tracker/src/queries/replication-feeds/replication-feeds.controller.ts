import { Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  DeletedOperationsResponse,
  MAX_REPLICATION_IDS,
  ReplicationWindowRequest,
  SalesforceTrackerRpc,
  UpdatedOperationsResponse,
} from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { ExceededIdLimitError } from '../../operations/tracker-errors';
import { TRACKER_SCHEMA, TrackerConfig } from '../../config';
import { TRACKER_RPC_CONSUMER } from '../../queues';

const S = TRACKER_SCHEMA;

/**
 * getUpdated / getDeleted over [start, end): the gateway applies Salesforce's window rules; the
 * tracker answers for the owner only. Tombstones outlive TOMBSTONE_RETENTION_DAYS (≥ 15), the
 * longest window the deleted feed accepts.
 */
@MessageController(TRACKER_RPC_CONSUMER)
export class ReplicationFeedsController {
  constructor(@Inject(TrackerConfig) private readonly config: TrackerConfig) {}

  @MessagePattern(SalesforceTrackerRpc.UpdatedOperations)
  async updated(@Payload() req: ReplicationWindowRequest, @Ctx() ctx: AmqpContext): Promise<UpdatedOperationsResponse> {
    const rows = (await ctx.manager.query(
      `SELECT "async_operation_number" AS "n" FROM "${S}"."async_operation"
       WHERE "owner_id" = $1 AND "updated_at" >= $2 AND "updated_at" < $3
       ORDER BY "async_operation_number" LIMIT $4`,
      [req.ownerId, req.start, req.end, MAX_REPLICATION_IDS + 1],
    )) as Array<{ n: string }>;
    if (rows.length > MAX_REPLICATION_IDS) throw new ExceededIdLimitError(MAX_REPLICATION_IDS, 'changed');
    return { asyncOperationNumbers: rows.map((r) => Number(r.n)) };
  }

  @MessagePattern(SalesforceTrackerRpc.DeletedOperations)
  async deleted(@Payload() req: ReplicationWindowRequest, @Ctx() ctx: AmqpContext): Promise<DeletedOperationsResponse> {
    const rows = (await ctx.manager.query(
      `SELECT "async_operation_number" AS "n", "deleted_at" FROM "${S}"."deleted_operation"
       WHERE "owner_id" = $1 AND "deleted_at" >= $2 AND "deleted_at" < $3 AND "async_operation_number" IS NOT NULL
       ORDER BY "deleted_at", "async_operation_number" LIMIT $4`,
      [req.ownerId, req.start, req.end, MAX_REPLICATION_IDS + 1],
    )) as Array<{ n: string; deleted_at: Date }>;
    if (rows.length > MAX_REPLICATION_IDS) throw new ExceededIdLimitError(MAX_REPLICATION_IDS, 'deleted');
    const earliest = new Date(Date.now() - this.config.TOMBSTONE_RETENTION_DAYS * 86_400_000);
    earliest.setUTCSeconds(0, 0);
    return {
      deleted: rows.map((r) => ({ asyncOperationNumber: Number(r.n), deletedAt: new Date(r.deleted_at).toISOString() })),
      earliestDateAvailable: earliest.toISOString(),
    };
  }
}
