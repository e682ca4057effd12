import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ExchangeRole, Headers, PayloadOf, RoutingKey } from '@asyncops/contracts';
import { ContextLogger, currentCorrelationId } from '@asyncops/platform';
import { observeOutbox, recordRelayedBatch } from './outbox-metrics';
import { ConfirmedPublisher, OutgoingMessage } from '../amqp/publisher';

/**
 * Writes messages into the service's outbox table inside the caller's transaction, so a
 * message exists if and only if the state change that caused it committed.
 */
export class OutboxWriter {
  private count = 0;
  constructor(
    private readonly manager: EntityManager,
    private readonly schema: string,
  ) {}

  get written(): number {
    return this.count;
  }

  async addEvent<K extends RoutingKey>(routingKey: K, payload: PayloadOf<K>, headers: Record<string, unknown> = {}, options: { delayMs?: number } = {}): Promise<void> {
    await this.insert([{ exchange: ExchangeRole.Events, routingKey, body: payload, headers }], options.delayMs);
  }

  async add(...messages: OutgoingMessage[]): Promise<void> {
    await this.insert(messages);
  }

  /** `delayMs`: the relay publishes the rows no earlier than that long after this transaction began. */
  private async insert(messages: OutgoingMessage[], delayMs?: number): Promise<void> {
    if (!messages.length) return;
    const values: unknown[] = [];
    // The relay publishes later, outside the handler's scope, so the correlation id is captured now.
    const correlationId = currentCorrelationId();
    const rows = messages.map((m, i) => {
      const headers = correlationId && m.headers?.[Headers.CorrelationId] === undefined ? { ...m.headers, [Headers.CorrelationId]: correlationId } : (m.headers ?? {});
      values.push(m.messageId ?? randomUUID(), m.exchange, m.routingKey, JSON.stringify(m.body), JSON.stringify(headers));
      const o = i * 5;
      return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}::jsonb, $${o + 5}::jsonb${delayMs ? `, now() + $${messages.length * 5 + 1} * interval '1 millisecond'` : ''})`;
    });
    if (delayMs) values.push(delayMs);
    await this.manager.query(
      `INSERT INTO "${this.schema}"."outbox" ("message_id", "exchange", "routing_key", "payload", "headers"${delayMs ? ', "publish_after"' : ''}) VALUES ${rows.join(', ')}`,
      values,
    );
    this.count += messages.length;
  }
}

interface OutboxRow {
  id: string;
  message_id: string;
  exchange: ExchangeRole;
  routing_key: string;
  payload: unknown;
  headers: Record<string, unknown>;
}

/**
 * Moves committed outbox rows to the broker with confirms, then deletes them. Rows are claimed
 * with FOR UPDATE SKIP LOCKED, so any number of replicas relay side by side without sending a
 * row twice in the normal case; a crash between confirm and delete re-sends, and consumers
 * dedupe by message id.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;
  private unobserve?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly publisher: ConfirmedPublisher,
    private readonly log: ContextLogger,
    private readonly pollMs: number,
    private readonly batchSize = 500,
  ) {}

  start(): void {
    this.stopped = false;
    this.unobserve ??= observeOutbox(this.dataSource, this.schema);
    this.schedule(0);
  }

  /** Relay now: called after a local commit wrote outbox rows. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // At once, not on a timer: the next hop of a job waits for exactly this publish.
    if (this.timer) clearTimeout(this.timer);
    void this.drain();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.drain(), ms);
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.timer = undefined;
    this.running = (async () => {
      do {
        this.again = false;
        try {
          while (!this.stopped && (await this.relayBatch()) === this.batchSize);
        } catch (e) {
          this.log.warn({ msg: 'outbox relay failed; will retry', error: (e as Error).message });
        }
      } while (this.again && !this.stopped);
    })();
    await this.running;
    this.running = undefined;
    this.schedule(this.pollMs);
  }

  private async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows: OutboxRow[] = await m.query(
        `SELECT "id", "message_id", "exchange", "routing_key", "payload", "headers"
           FROM "${this.schema}"."outbox"
          -- Rows held back are left to a later drain (the poll picks them up once due).
          WHERE "publish_after" IS NULL OR "publish_after" <= now()
          ORDER BY "id" LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      if (!rows.length) return 0;
      const started = performance.now();
      await this.publisher.publishMany(
        rows.map((r) => ({ exchange: r.exchange, routingKey: r.routing_key, body: r.payload, headers: r.headers, messageId: r.message_id })),
      );
      await m.query(`DELETE FROM "${this.schema}"."outbox" WHERE "id" = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      recordRelayedBatch(this.schema, rows);
      this.log.debug({ msg: 'outbox rows relayed', event: 'outbox-relayed', count: rows.length, confirmMs: Math.round((performance.now() - started) * 10) / 10 });
      return rows.length;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unobserve?.();
    this.unobserve = undefined;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
