import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  DeleteOperationRequest,
  DeleteOperationResponse,
  DeleteOperationsRequest,
  DeleteOperationsResponse,
  DeleteOutcome,
  FindTombstonesRequest,
  FindTombstonesResponse,
  SalesforceTrackerRpc,
  TrackerEvents,
} from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { OperationNotFoundError } from '../../operations/tracker-errors';
import { TRACKER_SCHEMA } from '../../config';
import { TRACKER_RPC_CONSUMER } from '../../queues';

const S = TRACKER_SCHEMA;

/**
 * Deletes one operation of its owner and keeps a tombstone for the deleted-records feed, in the
 * same transaction as the deletion event, exactly as the expiry sweeper does.
 */
@MessageController(TRACKER_RPC_CONSUMER)
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
    if (!rows.length) throw new OperationNotFoundError(`operation number ${req.asyncOperationNumber}`);
    const deletedAt = new Date(rows[0].deleted_at).toISOString();
    await ctx.outbox.addEvent(TrackerEvents.OperationDeleted, { operationId: rows[0].id, ownerId: req.ownerId, deletedAt });
    return { operationId: rows[0].id, deletedAt };
  }

  /**
   * sObject Collections delete. The owner's rows are locked first, so the outcome of every number
   * is decided before anything is deleted: with allOrNone one missing record deletes nothing.
   */
  @MessagePattern(SalesforceTrackerRpc.DeleteOperations)
  async deleteMany(@Payload() req: DeleteOperationsRequest, @Ctx() ctx: AmqpContext): Promise<DeleteOperationsResponse> {
    const numbers = [...new Set(req.asyncOperationNumbers)];
    const present = (await ctx.manager.query(
      `SELECT "async_operation_number" AS n FROM "${S}"."async_operation" WHERE "owner_id" = $1 AND "async_operation_number" = ANY($2::bigint[]) ORDER BY 1 FOR UPDATE`,
      [req.ownerId, numbers],
    )) as Array<{ n: string }>;
    const live = new Set(present.map((r) => Number(r.n)));
    const missing = numbers.filter((n) => !live.has(n));
    const tombstones = new Set(missing.length ? await this.tombstones(ctx, req.ownerId, missing) : []);
    const outcomeOf = (n: number): DeleteOutcome => (live.has(n) ? 'deleted' : tombstones.has(n) ? 'alreadyDeleted' : 'notFound');
    if (req.allOrNone && missing.length) return { outcomes: req.asyncOperationNumbers.map(outcomeOf), rolledBack: true };
    if (live.size) {
      const rows = (await ctx.manager.query(
        `WITH gone AS (
           DELETE FROM "${S}"."async_operation" WHERE "owner_id" = $1 AND "async_operation_number" = ANY($2::bigint[])
           RETURNING "id", "owner_id", "async_operation_number"
         )
         INSERT INTO "${S}"."deleted_operation" ("id", "owner_id", "async_operation_number", "deleted_at")
         SELECT "id", "owner_id", "async_operation_number", now() FROM gone
         ON CONFLICT ("id") DO UPDATE SET "deleted_at" = EXCLUDED."deleted_at"
         RETURNING "id", "deleted_at"`,
        [req.ownerId, [...live]],
      )) as Array<{ id: string; deleted_at: Date }>;
      for (const r of rows) await ctx.outbox.addEvent(TrackerEvents.OperationDeleted, { operationId: r.id, ownerId: req.ownerId, deletedAt: new Date(r.deleted_at).toISOString() });
    }
    // A number repeated in the request was deleted by its first occurrence.
    const seen = new Set<number>();
    const outcomes = req.asyncOperationNumbers.map((n) => {
      const o = outcomeOf(n);
      if (o === 'deleted' && seen.has(n)) return 'alreadyDeleted' as const;
      seen.add(n);
      return o;
    });
    return { outcomes, rolledBack: false };
  }

  @MessagePattern(SalesforceTrackerRpc.FindTombstones)
  async findTombstones(@Payload() req: FindTombstonesRequest, @Ctx() ctx: AmqpContext): Promise<FindTombstonesResponse> {
    return { deleted: await this.tombstones(ctx, req.ownerId, req.asyncOperationNumbers) };
  }

  private async tombstones(ctx: AmqpContext, ownerId: string, numbers: number[]): Promise<number[]> {
    const rows = (await ctx.manager.query(
      `SELECT DISTINCT "async_operation_number" AS n FROM "${S}"."deleted_operation" WHERE "owner_id" = $1 AND "async_operation_number" = ANY($2::bigint[])`,
      [ownerId, numbers],
    )) as Array<{ n: string }>;
    return rows.map((r) => Number(r.n));
  }
}
