import { randomBytes, randomUUID } from 'node:crypto';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateWebhookRequest,
  ListWebhookDeliveriesRequest,
  MAX_WEBHOOKS_PER_OWNER,
  OwnerRequest,
  WebhookDeletion,
  WebhookDeliveryList,
  WebhookDeliveryStatus,
  WebhookEvent,
  WebhookIdRequest,
  WebhookList,
  WebhookRpc,
  WebhookView,
  WebhookWithSecret,
} from '@asyncops/contracts';
import { AmqpContext, MessageController } from '@asyncops/messaging';
import { OperationNotFoundError, WebhookLimitError, WebhookNotFoundError } from '../operations/tracker-errors';
import { TRACKER_SCHEMA } from '../config';
import { SecretBox } from './secret-box';
import { TRACKER_RPC_CONSUMER } from '../queues';

const S = TRACKER_SCHEMA;
const MAX_DELIVERIES_LISTED = 500;

interface WebhookRow {
  id: string;
  url: string;
  events: WebhookEvent[];
  operation_id: string | null;
  job_type: string | null;
  created_at: Date;
  secret_rotated_at: Date | null;
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event: WebhookEvent;
  status: WebhookDeliveryStatus;
  attempts: number;
  due_at: Date;
  created_at: Date;
  delivered_at: Date | null;
  last_response_status: number | null;
  attempt_log: Array<{ attempt: number; attemptedAt: string; responseStatus: number | null; error: string | null; durationMs: number }>;
}

const COLUMNS = `"id", "url", "events", "operation_id", "job_type", "created_at", "secret_rotated_at"`;

/** A signing secret shown once; 256 random bits, prefixed so it is recognisable in a leak scan. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function view(r: WebhookRow): WebhookView {
  return {
    id: r.id,
    url: r.url,
    events: r.events,
    operationId: r.operation_id,
    jobType: r.job_type,
    createdAt: new Date(r.created_at).toISOString(),
    secretRotatedAt: r.secret_rotated_at ? new Date(r.secret_rotated_at).toISOString() : null,
  };
}

/** Webhook registrations, owned by the client that made them; another owner's id is a 404. */
@MessageController(TRACKER_RPC_CONSUMER)
export class WebhooksController {
  constructor(private readonly secrets: SecretBox) {}

  @MessagePattern(WebhookRpc.Create)
  async create(@Payload() req: CreateWebhookRequest, @Ctx() ctx: AmqpContext): Promise<WebhookWithSecret> {
    // Serialises creations per owner so the cap holds under concurrent requests.
    await ctx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`webhooks:${req.ownerId}`]);
    const [{ n }]: Array<{ n: number }> = await ctx.manager.query(`SELECT count(*)::int AS "n" FROM "${S}"."webhook" WHERE "owner_id" = $1`, [req.ownerId]);
    if (n >= MAX_WEBHOOKS_PER_OWNER) throw new WebhookLimitError(MAX_WEBHOOKS_PER_OWNER);
    const id = randomUUID();
    const secret = newSecret();
    const sealed = this.secrets.seal(id, secret);
    const rows: WebhookRow[] = await ctx.manager.query(
      `INSERT INTO "${S}"."webhook" ("id", "owner_id", "url", "events", "operation_id", "job_type", "secret", "secret_key_id")
       VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [id, req.ownerId, req.url, [...new Set(req.events)], req.operationId ?? null, req.jobType ?? null, sealed.secret, sealed.keyId],
    );
    return { ...view(rows[0]), secret };
  }

  @MessagePattern(WebhookRpc.List)
  async list(@Payload() req: OwnerRequest, @Ctx() ctx: AmqpContext): Promise<WebhookList> {
    const rows: WebhookRow[] = await ctx.manager.query(`SELECT ${COLUMNS} FROM "${S}"."webhook" WHERE "owner_id" = $1 ORDER BY "created_at", "id"`, [req.ownerId]);
    return { items: rows.map(view) };
  }

  @MessagePattern(WebhookRpc.Delete)
  async delete(@Payload() req: WebhookIdRequest, @Ctx() ctx: AmqpContext): Promise<WebhookDeletion> {
    const [rows]: [unknown[], number] = await ctx.manager.query(`DELETE FROM "${S}"."webhook" WHERE "id" = $1 AND "owner_id" = $2 RETURNING "id"`, [req.webhookId, req.ownerId]);
    if (!rows.length) throw new WebhookNotFoundError(req.webhookId);
    return { deleted: true };
  }

  @MessagePattern(WebhookRpc.RotateSecret)
  async rotate(@Payload() req: WebhookIdRequest, @Ctx() ctx: AmqpContext): Promise<WebhookWithSecret> {
    // TypeORM answers an UPDATE/DELETE … RETURNING with [rows, affected].
    const secret = newSecret();
    const sealed = this.secrets.seal(req.webhookId, secret);
    const [rows]: [WebhookRow[], number] = await ctx.manager.query(
      `UPDATE "${S}"."webhook" SET "secret" = $3, "secret_key_id" = $4, "secret_rotated_at" = now() WHERE "id" = $1 AND "owner_id" = $2 RETURNING ${COLUMNS}`,
      [req.webhookId, req.ownerId, sealed.secret, sealed.keyId],
    );
    if (!rows.length) throw new WebhookNotFoundError(req.webhookId);
    return { ...view(rows[0]), secret };
  }

  @MessagePattern(WebhookRpc.ListDeliveries)
  async deliveries(@Payload() req: ListWebhookDeliveriesRequest, @Ctx() ctx: AmqpContext): Promise<WebhookDeliveryList> {
    const owned: unknown[] = await ctx.manager.query(`SELECT 1 FROM "${S}"."async_operation" WHERE "id" = $1 AND "owner_id" = $2`, [req.operationId, req.ownerId]);
    if (!owned.length) throw new OperationNotFoundError(`operation ${req.operationId}`);
    const rows: DeliveryRow[] = await ctx.manager.query(
      `SELECT d."id", d."webhook_id", d."event", d."status", d."attempts", d."due_at", d."created_at", d."delivered_at", d."last_response_status",
              coalesce((SELECT jsonb_agg(jsonb_build_object('attempt', a."attempt", 'attemptedAt', a."attempted_at", 'responseStatus', a."response_status",
                                                            'error', a."error", 'durationMs', a."duration_ms") ORDER BY a."attempt")
                          FROM "${S}"."webhook_attempt" a WHERE a."delivery_id" = d."id"), '[]'::jsonb) AS "attempt_log"
         FROM "${S}"."webhook_delivery" d
        WHERE d."operation_id" = $1 AND d."owner_id" = $2
        ORDER BY d."created_at", d."id" LIMIT ${MAX_DELIVERIES_LISTED}`,
      [req.operationId, req.ownerId],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        webhookId: r.webhook_id,
        event: r.event,
        status: r.status,
        attempts: r.attempts,
        nextAttemptAt: r.status === 'pending' ? new Date(r.due_at).toISOString() : null,
        createdAt: new Date(r.created_at).toISOString(),
        deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
        lastResponseStatus: r.last_response_status,
        attemptLog: r.attempt_log.map((a) => ({ ...a, attemptedAt: new Date(a.attemptedAt).toISOString() })),
      })),
    };
  }
}
