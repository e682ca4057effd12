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
}
