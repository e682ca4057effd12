import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TRACKER_SCHEMA } from '../config';
import type { RecordedChange } from '../live-events/operation-event-log';
import type { AsyncOperation } from '../operations/async-operation.entity';
import { webhookEventsFor } from './delivery-policy';

const S = TRACKER_SCHEMA;

/**
 * Queues one delivery per matching webhook inside the change's own transaction: a committed
 * change always has its deliveries, and the transaction does no network I/O, so a slow receiver
 * can never hold up the lifecycle.
 */
@Injectable()
export class WebhookPlanner {
  async plan(m: EntityManager, op: AsyncOperation, change: RecordedChange): Promise<void> {
    const events = webhookEventsFor(op.status, change.previousStatus);
    await m.query(
      `INSERT INTO "${S}"."webhook_delivery" ("id", "webhook_id", "owner_id", "operation_id", "event", "payload")
       SELECT gen_random_uuid(), w."id", w."owner_id", $1,
              (SELECT e FROM unnest($3::text[]) WITH ORDINALITY AS k(e, i) WHERE e = ANY (w."events") ORDER BY i LIMIT 1),
              $4::jsonb
         FROM "${S}"."webhook" w
        WHERE w."owner_id" = $2 AND w."events" && $3::text[]
          AND (w."operation_id" IS NULL OR w."operation_id" = $1)
          AND (w."job_type" IS NULL OR w."job_type" = $5)`,
      [op.id, op.ownerId, events, JSON.stringify(change.payload), op.jobType],
    );
  }

  /** `plan` for many changes, as rows for `planManySql` (one statement the caller runs). */
  static many(entries: ReadonlyArray<{ op: AsyncOperation; change: RecordedChange }>): string {
    return JSON.stringify(
      entries.map(({ op, change }, n) => ({
        n,
        operation_id: op.id,
        owner_id: op.ownerId,
        job_type: op.jobType,
        events: webhookEventsFor(op.status, change.previousStatus),
        payload: change.payload,
      })),
    );
  }

  static planManySql(rowsParam: string): string {
    return `INSERT INTO "${S}"."webhook_delivery" ("id", "webhook_id", "owner_id", "operation_id", "event", "payload")
       SELECT gen_random_uuid(), w."id", w."owner_id", c."operation_id",
              (SELECT e FROM unnest(c."events") WITH ORDINALITY AS k(e, i) WHERE e = ANY (w."events") ORDER BY i LIMIT 1),
              c."payload"
         FROM jsonb_to_recordset(${rowsParam}::jsonb) AS c("operation_id" uuid, "owner_id" text, "job_type" text, "events" text[], "payload" jsonb, "n" int)
         JOIN "${S}"."webhook" w
           ON w."owner_id" = c."owner_id" AND w."events" && c."events"
          AND (w."operation_id" IS NULL OR w."operation_id" = c."operation_id")
          AND (w."job_type" IS NULL OR w."job_type" = c."job_type")
        ORDER BY c."n"`;
  }
}
