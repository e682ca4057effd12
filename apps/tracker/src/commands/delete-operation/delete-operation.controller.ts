import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { DeleteOperationRequest, DeleteOperationResponse, RpcErrorCode, SalesforceTrackerRpc, TrackerEvents } from '@asyncops/contracts';
import { AmqpContext, RpcError, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { TRACKER_SCHEMA } from '../../config';

const S = TRACKER_SCHEMA;

/**
 * Deletes one operation of its owner and keeps a tombstone for the deleted-records feed, in the
 * same transaction as the deletion event, exactly as the expiry sweeper does.
 */
@Controller()
@UseFilters(RethrowRpcExceptionFilter)
export class DeleteOperationController {
  @MessagePattern(SalesforceTrackerRpc.DeleteOperation)
  async delete(@Payload() req: DeleteOperationRequest, @Ctx() ctx: AmqpContext): Promise<DeleteOperationResponse> {
    const rows = (await ctx.manager.query(
      `WITH gone AS (
         DELETE FROM "${S}"."async_operation" WHERE "owner_id" = $1 AND "async_operation_number" = $2
         RETURNING "id", "owner_id", "async_operation_number"
       )
       INSERT INTO "${S}"."deleted_operation" ("id", "owner_id", "async_operation_number", "deleted_at")
       SELECT "id", "owner_id", "async_operation_number", now() FROM gone
       ON CONFLICT ("id") DO UPDATE SET "deleted_at" = EXCLUDED."deleted_at"
       RETURNING "id", "deleted_at"`,
      [req.ownerId, req.asyncOperationNumber],
    )) as Array<{ id: string; deleted_at: Date }>;
    // Another owner's record is indistinguishable from a missing one.
    if (!rows.length) throw new RpcError(RpcErrorCode.NotFound, `operation number ${req.asyncOperationNumber} not found`);
    const deletedAt = new Date(rows[0].deleted_at).toISOString();
    await ctx.outbox.addEvent(TrackerEvents.OperationDeleted, { operationId: rows[0].id, ownerId: req.ownerId, deletedAt });
    return { operationId: rows[0].id, deletedAt };
  }
}
