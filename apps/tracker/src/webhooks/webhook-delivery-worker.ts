import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { signatureHeader, WebhookHeaders } from '@asyncops/contracts';
import { TRACKER_SCHEMA, TrackerConfig } from '../config';
import { guardedLookup } from '@asyncops/platform';
import { isSuccessStatus, nextRetryDelayMs, RetryPolicy } from './delivery-policy';
import { outcomeClass, postOnce } from './webhook-http';
import { SecretBox } from './secret-box';

const S = TRACKER_SCHEMA;
/** Beyond the request timeout, how long a claim lasts before another replica may retry it. */
const LEASE_GRACE_MS = 30_000;

interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  event: string;
  payload: Record<string, unknown>;
  created_at: Date;
  attempts: number;
  operation_id: string;
  url: string;
  secret: string;
  secret_key_id: string | null;
}

interface AttemptOutcome {
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Sends queued webhook deliveries. Rows are claimed with SKIP LOCKED and leased by moving due_at
 * past the request timeout, then sent outside any transaction, so replicas share the queue and a
 * replica that dies mid-send only delays the attempt until its lease runs out. Up to
 * WEBHOOK_CONCURRENCY requests run at once, each with its own timeout: a hanging receiver holds
 * one slot, never the others.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(WebhookDeliveryWorker.name);
  private readonly policy: RetryPolicy;
  private readonly inFlight = new Set<Promise<void>>();
  /** In-flight sends per webhook on this replica: a slow receiver may hold only its share of the slots. */
  private readonly perWebhook = new Map<string, number>();
  private readonly shutdown = new AbortController();
  private timer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  private claiming = false;
  /** Resolves each target once and connects only to an address that passed the check (pinned). */
  private readonly lookup: ReturnType<typeof guardedLookup>;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(TrackerConfig) private readonly config: TrackerConfig,
    private readonly secrets: SecretBox,
  ) {
    this.lookup = guardedLookup(config.allowPrivateWebhookTargets);
    this.policy = { maxAttempts: config.WEBHOOK_MAX_ATTEMPTS, baseDelayMs: config.WEBHOOK_BASE_DELAY_MS, maxDelayMs: config.WEBHOOK_MAX_DELAY_MS };
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.fill(), this.config.WEBHOOK_POLL_MS);
    this.pruneTimer = setInterval(() => void this.prune(), this.config.SWEEP_INTERVAL_MS);
  }

  /** Finished deliveries (and their attempt logs) are kept as long as the live event log. */
  private async prune(): Promise<void> {
    try {
      const [, count]: [unknown[], number] = await this.dataSource.query(
        `DELETE FROM "${S}"."webhook_delivery" WHERE "id" IN (
           SELECT "id" FROM "${S}"."webhook_delivery" WHERE "status" <> 'pending' AND "created_at" < now() - make_interval(days => $1) LIMIT 10000)`,
        [this.config.EVENT_LOG_RETENTION_DAYS],
      );
      if (count) this.log.log({ msg: 'old webhook deliveries pruned', count, event: 'webhook-deliveries-pruned' });
    } catch (e) {
      this.log.warn({ msg: 'pruning webhook deliveries failed; will retry', error: (e as Error).message });
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.pruneTimer);
    // Aborted sends are logged as failed attempts and retried by whichever replica runs next.
    this.shutdown.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Claims as many due deliveries as there are free slots and starts sending them. */
  private async fill(): Promise<void> {
    if (this.claiming || this.stopped) return;
    this.claiming = true;
    try {
      const free = this.config.WEBHOOK_CONCURRENCY - this.inFlight.size;
      if (free <= 0) return;
      for (const d of await this.claim(free)) {
        this.perWebhook.set(d.webhook_id, (this.perWebhook.get(d.webhook_id) ?? 0) + 1);
        const task: Promise<void> = this.deliver(d).finally(() => {
          this.inFlight.delete(task);
          const left = (this.perWebhook.get(d.webhook_id) ?? 1) - 1;
          if (left > 0) this.perWebhook.set(d.webhook_id, left);
          else this.perWebhook.delete(d.webhook_id);
        });
        this.inFlight.add(task);
      }
    } catch (e) {
      this.log.warn({ msg: 'claiming webhook deliveries failed; will retry', error: (e as Error).message });
    } finally {
      this.claiming = false;
    }
  }

  /**
   * Never more than WEBHOOK_CONCURRENCY_PER_WEBHOOK in flight per webhook (counting what this
   * replica is already sending), so a receiver with a backlog cannot take every slot.
   */
  private async claim(limit: number): Promise<ClaimedDelivery[]> {
    const leaseMs = this.config.WEBHOOK_TIMEOUT_MS + LEASE_GRACE_MS;
    const busy = [...this.perWebhook];
    const result: [ClaimedDelivery[], number] = await this.dataSource.query(
      `WITH candidates AS (
         SELECT "id" FROM (
           SELECT d."id", d."due_at", coalesce(b."n", 0) AS "busy", row_number() OVER (PARTITION BY d."webhook_id" ORDER BY d."due_at") AS "rn"
             FROM "${S}"."webhook_delivery" d
             LEFT JOIN unnest($3::uuid[], $4::int[]) AS b("webhook_id", "n") ON b."webhook_id" = d."webhook_id"
            WHERE d."status" = 'pending' AND d."due_at" <= now()
         ) ranked
         WHERE "rn" + "busy" <= $5
       ), due AS (
         SELECT d."id" FROM "${S}"."webhook_delivery" d JOIN candidates c ON c."id" = d."id"
          WHERE d."status" = 'pending' AND d."due_at" <= now()
          ORDER BY d."due_at" LIMIT $1 FOR UPDATE OF d SKIP LOCKED
       )
       UPDATE "${S}"."webhook_delivery" d
          SET "attempts" = d."attempts" + 1, "due_at" = now() + make_interval(secs => $2::double precision / 1000)
         FROM due, "${S}"."webhook" w
        WHERE d."id" = due."id" AND w."id" = d."webhook_id"
       RETURNING d."id", d."webhook_id", d."event", d."payload", d."created_at", d."attempts", d."operation_id", w."url", w."secret", w."secret_key_id"`,
      [limit, leaseMs, busy.map(([id]) => id), busy.map(([, n]) => n), this.config.WEBHOOK_CONCURRENCY_PER_WEBHOOK],
    );
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    return result[0];
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    const outcome = await this.send(d);
    try {
      if (outcome.responseStatus === null && this.shutdown.signal.aborted) await this.release(d);
      else await this.settle(d, outcome);
    } catch (e) {
      this.log.error({ msg: 'recording a webhook attempt failed; the lease will expire and it is retried', deliveryId: d.id, error: (e as Error).message });
    }
  }

  private async send(d: ClaimedDelivery): Promise<AttemptOutcome> {
    const body = JSON.stringify({ id: d.id, event: d.event, createdAt: new Date(d.created_at).toISOString(), data: d.payload });
    const timestamp = Math.floor(Date.now() / 1000);
    const started = Date.now();
    let secret: string;
    try {
      secret = this.secrets.open(d.webhook_id, { secret: d.secret, keyId: d.secret_key_id });
    } catch (e) {
      this.log.error({ msg: 'a webhook secret cannot be decrypted; is its key still in WEBHOOK_SECRET_KEYS?', event: 'webhook-secret-unreadable', webhookId: d.webhook_id, error: (e as Error).message });
      return { responseStatus: null, error: 'secret_unavailable', durationMs: 0 };
    }
    const result = await postOnce(d.url, body, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'asyncops-webhooks/1',
        [WebhookHeaders.Signature]: signatureHeader(secret, timestamp, body),
        [WebhookHeaders.Timestamp]: String(timestamp),
        [WebhookHeaders.Event]: d.event,
        [WebhookHeaders.Delivery]: d.id,
      },
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      signal: this.shutdown.signal,
      lookup: this.lookup,
    });
    const responseStatus = typeof result === 'number' ? result : null;
    return { responseStatus, error: responseStatus !== null && isSuccessStatus(responseStatus) ? null : outcomeClass(result), durationMs: Date.now() - started };
  }

  /** Cut short by our own shutdown: not the receiver's fault, so the attempt is given back. */
  private async release(d: ClaimedDelivery): Promise<void> {
    await this.dataSource.query(
      `UPDATE "${S}"."webhook_delivery" SET "attempts" = "attempts" - 1, "due_at" = now() WHERE "id" = $1 AND "attempts" = $2 AND "status" = 'pending'`,
      [d.id, d.attempts],
    );
  }

  private async settle(d: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
    const ok = outcome.responseStatus !== null && isSuccessStatus(outcome.responseStatus);
    const retryInMs = ok ? null : nextRetryDelayMs(d.attempts, this.policy);
    const status = ok ? 'delivered' : retryInMs === null ? 'dead' : 'pending';
    await this.dataSource.transaction(async (m) => {
      // Guarded by the attempt number: if the lease expired and another replica re-claimed the
      // row, only the newer attempt decides its state.
      await m.query(
        `UPDATE "${S}"."webhook_delivery"
            SET "status" = $3, "last_response_status" = $4,
                "due_at" = CASE WHEN $3 = 'pending' THEN now() + make_interval(secs => $5::double precision / 1000) ELSE "due_at" END,
                "delivered_at" = CASE WHEN $3 = 'delivered' THEN now() ELSE NULL END
          WHERE "id" = $1 AND "attempts" = $2 AND "status" = 'pending'`,
        [d.id, d.attempts, status, outcome.responseStatus, retryInMs ?? 0],
      );
      await m.query(
        `INSERT INTO "${S}"."webhook_attempt" ("delivery_id", "attempt", "attempted_at", "response_status", "error", "duration_ms")
         SELECT $1, $2, now() - make_interval(secs => $5::double precision / 1000), $3, $4, $5 WHERE EXISTS (SELECT 1 FROM "${S}"."webhook_delivery" WHERE "id" = $1)`,
        [d.id, d.attempts, outcome.responseStatus, outcome.error, outcome.durationMs],
      );
    });
    const logged = { deliveryId: d.id, operationId: d.operation_id, webhookEvent: d.event, attempt: d.attempts, responseStatus: outcome.responseStatus, durationMs: outcome.durationMs };
    if (status === 'delivered') this.log.log({ msg: 'webhook delivered', ...logged });
    else if (status === 'dead') this.log.warn({ msg: 'webhook delivery dead after its last attempt', event: 'webhook-dead', ...logged, error: outcome.error });
    else this.log.log({ msg: 'webhook attempt failed; will retry', retryInMs, ...logged, error: outcome.error });
  }
}
