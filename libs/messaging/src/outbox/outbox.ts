import { createHash, randomUUID } from 'node:crypto';
import type { QueryResult } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { ExchangeRole, Headers, PayloadOf, RoutingKey } from '@asyncops/contracts';
import { driverPool, inlineParameters, SqlStatement, withCommit } from '@asyncops/persistence';
import { ContextLogger, currentCorrelationId } from '@asyncops/platform';
import { observeOutbox, recordRelayedBatch } from './outbox-metrics';
import { ConfirmedPublisher, OutgoingMessage } from '../amqp/publisher';

/** An outbox row as written: message id, exchange, routing key, payload and headers as JSON, and the hold-back. */
type PendingRow = [string, string, string, string, string, number | null];

/** PostgreSQL takes at most 65,535 parameters per statement. */
const ROWS_PER_INSERT = 5000;

/**
 * Header of an outbox row that carries several messages of one exchange and routing key: its
 * payload is their bodies in order, and the value their count. The relay publishes each as a
 * message of its own and never publishes this header.
 */
export const OUTBOX_FAN_OUT_HEADER = 'x-outbox-fan-out';

/** The most messages one relay transaction publishes (fan-out rows count one per body). */
export const RELAY_MAX_MESSAGES = 5000;

/**
 * The message id of the `index`-th message of a fan-out row: a UUID derived from the row's id, so a
 * row relayed again after a crash between confirm and delete sends the same ids and consumers dedupe.
 */
export function fanOutMessageId(rowMessageId: string, index: number): string {
  const b = createHash('sha1').update(`${rowMessageId}/${index}`).digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Writes messages into the service's outbox table inside the caller's transaction, so a
 * message exists if and only if the state change that caused it committed.
 *
 * `deferred`: rows are kept until `flush()`, which the owner of the transaction calls before it
 * commits, and go in as one statement: a handler that reports a dozen lifecycle events pays one
 * round trip, not a dozen. Without it each call writes at once.
 */
export class OutboxWriter {
  private count = 0;
  private pending: PendingRow[] = [];

  constructor(
    private readonly manager: EntityManager,
    private readonly schema: string,
    private readonly options: { deferred?: boolean } = {},
  ) {}

  /** Messages this transaction sends (written, or waiting for `flush`). */
  get written(): number {
    return this.count;
  }

  /** `delayMs`: the relay publishes the row no earlier than that long after this transaction began. */
  async addEvent<K extends RoutingKey>(routingKey: K, payload: PayloadOf<K>, headers: Record<string, unknown> = {}, options: { delayMs?: number } = {}): Promise<void> {
    await this.queue([{ exchange: ExchangeRole.Events, routingKey, body: payload, headers }], options.delayMs);
  }

  async add(...messages: OutgoingMessage[]): Promise<void> {
    await this.queue(messages);
  }

  /** `add` for messages the relay publishes no earlier than `delayMs` after this transaction began. */
  async addHeldBack(delayMs: number, ...messages: OutgoingMessage[]): Promise<void> {
    await this.queue(messages, delayMs);
  }

  /**
   * Many messages of one exchange and routing key, differing only in body (a chunk's per-record
   * events), as one outbox row the relay fans out: one row to write, read and delete instead of one
   * per message. Consumers see the same messages, each with its own id.
   */
  async addEach(message: Omit<OutgoingMessage, 'body' | 'messageId'>, bodies: readonly unknown[]): Promise<void> {
    if (bodies.length <= 1) {
      await this.queue(bodies.map((body) => ({ ...message, body })));
      return;
    }
    await this.queue([{ ...message, body: bodies, headers: { ...message.headers, [OUTBOX_FAN_OUT_HEADER]: bodies.length } }]);
    this.count += bodies.length - 1;
  }

  /** Writes the rows kept so far (deferred writers; a no-op otherwise). */
  async flush(): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await this.insert(rows.slice(i, i + ROWS_PER_INSERT));
  }

  private async queue(messages: OutgoingMessage[], delayMs?: number): Promise<void> {
    if (!messages.length) return;
    // The relay publishes later, outside the handler's scope, so the correlation id is captured now.
    const correlationId = currentCorrelationId();
    const rows = messages.map((m): PendingRow => {
      const headers = correlationId && m.headers?.[Headers.CorrelationId] === undefined ? { ...m.headers, [Headers.CorrelationId]: correlationId } : (m.headers ?? {});
      return [m.messageId ?? randomUUID(), m.exchange, m.routingKey, JSON.stringify(m.body), JSON.stringify(headers), delayMs || null];
    });
    this.count += rows.length;
    if (this.options.deferred) this.pending.push(...rows);
    else await this.insert(rows);
  }

  /**
   * The rows kept so far as one INSERT for the caller to run inside a statement of its own (a
   * data-modifying WITH item), its parameters numbered from `firstParam`; the writer is then
   * empty. Undefined when nothing is kept, or too much for one statement (then `flush`).
   */
  takeInsert(firstParam: number): SqlStatement | undefined {
    if (!this.pending.length || this.pending.length > ROWS_PER_INSERT) return undefined;
    const rows = this.pending;
    this.pending = [];
    return this.insertStatement(rows, firstParam);
  }

  private insertStatement(rows: PendingRow[], firstParam = 1): SqlStatement {
    const held = rows.some((r) => r[5] !== null);
    const width = held ? 6 : 5;
    const values: unknown[] = [];
    const tuples = rows.map((r, i) => {
      values.push(...r.slice(0, width));
      const o = firstParam - 1 + i * width;
      return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}::jsonb, $${o + 5}::jsonb${held ? `, now() + $${o + 6}::int * interval '1 millisecond'` : ''})`;
    });
    return {
      sql: `INSERT INTO "${this.schema}"."outbox" ("message_id", "exchange", "routing_key", "payload", "headers"${held ? ', "publish_after"' : ''}) VALUES ${tuples.join(', ')}`,
      values,
    };
  }

  private async insert(rows: PendingRow[]): Promise<void> {
    if (!rows.length) return;
    const { sql, values } = this.insertStatement(rows);
    await this.manager.query(sql, values);
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

/** The message of a row, or each message of a fan-out row (see `OutboxWriter.addEach`). */
function messagesOf(r: OutboxRow): OutgoingMessage[] {
  if (r.headers[OUTBOX_FAN_OUT_HEADER] === undefined || !Array.isArray(r.payload)) {
    return [{ exchange: r.exchange, routingKey: r.routing_key, body: r.payload, headers: r.headers, messageId: r.message_id }];
  }
  const { [OUTBOX_FAN_OUT_HEADER]: _count, ...headers } = r.headers;
  return r.payload.map((body: unknown, i) => ({ exchange: r.exchange, routingKey: r.routing_key, body, headers, messageId: fanOutMessageId(r.message_id, i) }));
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
  private claimSql?: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly publisher: ConfirmedPublisher,
    private readonly log: ContextLogger,
    private readonly pollMs: number,
    private readonly batchSize = 500,
    private readonly maxMessages = RELAY_MAX_MESSAGES,
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
          while (!this.stopped && (await this.relayBatch()));
        } catch (e) {
          this.log.warn({ msg: 'outbox relay failed; will retry', error: (e as Error).message });
        }
      } while (this.again && !this.stopped);
    })();
    await this.running;
    this.running = undefined;
    this.schedule(this.pollMs);
  }

  /**
   * The claim, the same text every time (schema and limits are this relay's own): at most batchSize
   * rows, and no further row once maxMessages messages are taken (a fan-out row is one message per
   * body; the first row always goes), so memory and confirm waits stay bounded.
   */
  private claim(): string {
    return (this.claimSql ??= inlineParameters(
      `SELECT "id", "message_id", "exchange", "routing_key", "payload", "headers",
              sum("n") OVER (ORDER BY "id") AS "messages"
         FROM "${this.schema}"."outbox"
         JOIN (
           SELECT "id", "n" FROM (
             SELECT "id", "n", sum("n") OVER (ORDER BY "id") - "n" AS "before" FROM (
               -- The rows this relay takes: another relay's are skipped, so replicas share a backlog.
               SELECT "id", coalesce(("headers"->>'${OUTBOX_FAN_OUT_HEADER}')::int, 1) AS "n"
                 FROM "${this.schema}"."outbox"
                -- Rows held back are left to a later drain (the poll picks them up once due).
                WHERE "publish_after" IS NULL OR "publish_after" <= now()
                ORDER BY "id" LIMIT $1 FOR UPDATE SKIP LOCKED
             ) "due"
           ) "counted" WHERE "before" < $2
         ) "taken" USING ("id")
        ORDER BY "id"`,
      [this.batchSize, this.maxMessages],
    ));
  }

  /**
   * One relay transaction in two round trips: the claim opens it (`BEGIN; SELECT … FOR UPDATE SKIP
   * LOCKED` as one simple query) and the delete closes it (`DELETE …; COMMIT`), the broker's
   * confirms waited for in between. Every relay of every service pays this per kick, so the
   * statements carry their values as literals (`inlineParameters`) instead of taking five
   * separate round trips. Answers whether the table may hold more due rows than this batch took
   * (a batch cut short by its limits): only then does the drain claim again straight away, instead
   * of paying an empty claim after every kick.
   */
  private async relayBatch(): Promise<boolean> {
    const client = await driverPool(this.dataSource).connect();
    let open = true;
    let broken: Error | undefined;
    try {
      const [, claimed] = (await client.query(`BEGIN;\n${this.claim()}`)) as unknown as [QueryResult, QueryResult<OutboxRow & { messages: string }>];
      const rows = claimed.rows;
      if (!rows.length) {
        await client.query('COMMIT');
        open = false;
        return false;
      }
      const started = performance.now();
      await this.publisher.publishMany(rows.flatMap(messagesOf));
      await client.query(withCommit({ sql: `DELETE FROM "${this.schema}"."outbox" WHERE "id" = ANY($1::bigint[])`, values: [rows.map((r) => r.id)] }));
      open = false;
      recordRelayedBatch(this.schema, rows);
      this.log.debug({ msg: 'outbox rows relayed', event: 'outbox-relayed', count: rows.length, confirmMs: Math.round((performance.now() - started) * 10) / 10 });
      const messages = Number(rows[rows.length - 1].messages);
      return rows.length >= this.batchSize || messages >= this.maxMessages;
    } catch (e) {
      if (open) await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw e;
    } finally {
      // A connection whose transaction could not be ended is not handed back to the pool.
      client.release(broken);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unobserve?.();
    this.unobserve = undefined;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
