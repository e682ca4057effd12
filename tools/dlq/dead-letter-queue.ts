import type * as amqp from 'amqplib';

/** Headers the messaging layer sets when it parks a message (see libs/contracts Headers). */
const H = {
  operationId: 'x-operation-id',
  lastError: 'x-last-error',
  originalQueue: 'x-original-queue',
  originalRoutingKey: 'x-original-routing-key',
  originalExchange: 'x-original-exchange',
} as const;

/** Headers that describe the parking, not the message: a replayed message goes back without them. */
const PARKING_HEADERS = new Set<string>([H.lastError, H.originalQueue, H.originalRoutingKey, H.originalExchange, 'x-death', 'x-first-death-exchange', 'x-first-death-queue', 'x-first-death-reason', 'x-last-death-exchange', 'x-last-death-queue', 'x-last-death-reason', 'x-delivery-count']);

export interface ParkedMessage {
  messageId: string | null;
  routingKey: string;
  exchange: string;
  originalQueue: string | null;
  operationId: string | null;
  lastError: string | null;
  parkedAt: Date | null;
  ageSeconds: number | null;
  bytes: number;
}

export interface Selection {
  all?: boolean;
  ids?: string[];
  operations?: string[];
}

interface XDeath {
  queue?: string;
  exchange?: string;
  reason?: string;
  'routing-keys'?: string[];
  time?: { value?: number } | number;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : Buffer.isBuffer(v) ? v.toString() : null);

/**
 * Where a parked message came from. Messages our consumers parked name their exchange, queue and
 * routing key in headers; messages the broker dead-lettered itself (delivery limit, expiry) carry
 * `x-death`. Older letters without an exchange header are routed by their key's shape.
 */
export function describeParked(prefix: string, m: amqp.GetMessage, now = Date.now()): ParkedMessage {
  const headers = (m.properties.headers ?? {}) as Record<string, unknown>;
  const death = (headers['x-death'] as XDeath[] | undefined)?.[0];
  const routingKey = str(headers[H.originalRoutingKey]) ?? death?.['routing-keys']?.[0] ?? m.fields.routingKey;
  const exchange =
    str(headers[H.originalExchange]) ?? str(death?.exchange) ?? `${prefix}.${/\.(rpc|cmd)\./.test(routingKey) ? 'commands' : 'events'}`;
  const deathTime = typeof death?.time === 'number' ? death.time : death?.time?.value;
  const stamp = m.properties.timestamp ?? deathTime;
  const parkedAt = typeof stamp === 'number' ? new Date(stamp * 1000) : null;
  return {
    messageId: str(m.properties.messageId),
    routingKey,
    exchange,
    originalQueue: str(headers[H.originalQueue]) ?? str(death?.queue),
    operationId: str(headers[H.operationId]),
    lastError: str(headers[H.lastError]) ?? (death ? `${death.reason ?? 'rejected'} on ${death.queue ?? '?'}` : null),
    parkedAt,
    ageSeconds: parkedAt ? Math.max(0, Math.round((now - parkedAt.getTime()) / 1000)) : null,
    bytes: m.content.length,
  };
}

function selected(p: ParkedMessage, s: Selection): boolean {
  if (s.all) return true;
  if (s.ids?.length && p.messageId && s.ids.includes(p.messageId)) return true;
  if (s.operations?.length && p.operationId && s.operations.includes(p.operationId)) return true;
  return false;
}

/**
 * Takes every parked message (unacknowledged, on one channel), lets `decide` act on each, and
 * returns the rest to the queue when the channel closes. Nothing is lost if this process dies:
 * unacknowledged messages go back to the queue.
 */
async function walk(conn: amqp.ChannelModel, prefix: string, decide: (m: amqp.GetMessage, p: ParkedMessage, ch: amqp.ConfirmChannel) => Promise<void>): Promise<void> {
  const ch = await conn.createConfirmChannel();
  const queue = `${prefix}.dead-letter`;
  try {
    await ch.checkQueue(queue).catch(() => {
      throw new Error(`there is no queue ${queue}: check AMQP_PREFIX (the services create it when they start)`);
    });
    const taken: amqp.GetMessage[] = [];
    for (;;) {
      const m = await ch.get(queue, { noAck: false });
      if (!m) break;
      taken.push(m);
    }
    for (const m of taken) await decide(m, describeParked(prefix, m), ch);
    // Whatever was not acknowledged goes back, in its order.
    ch.nackAll(true);
  } finally {
    await ch.close().catch(() => undefined);
  }
}

export async function listParked(conn: amqp.ChannelModel, prefix: string): Promise<ParkedMessage[]> {
  const out: ParkedMessage[] = [];
  await walk(conn, prefix, async (_m, p) => void out.push(p));
  return out;
}

/**
 * Publishes each selected message to its original exchange with its original routing key, body,
 * message id (so a consumer that already handled it changes nothing) and headers, minus the
 * parking headers; acknowledges the parked copy only after the broker confirmed the republish.
 */
export async function replayParked(conn: amqp.ChannelModel, prefix: string, selection: Selection): Promise<ParkedMessage[]> {
  const replayed: ParkedMessage[] = [];
  await walk(conn, prefix, async (m, p, ch) => {
    if (!selected(p, selection)) return;
    const headers = Object.fromEntries(Object.entries((m.properties.headers ?? {}) as Record<string, unknown>).filter(([k]) => !PARKING_HEADERS.has(k)));
    await new Promise<void>((resolve, reject) =>
      ch.publish(
        p.exchange,
        p.routingKey,
        m.content,
        {
          messageId: m.properties.messageId,
          contentType: m.properties.contentType ?? 'application/json',
          persistent: true,
          timestamp: Math.floor(Date.now() / 1000),
          type: m.properties.type,
          correlationId: m.properties.correlationId,
          headers,
        },
        (err) => (err ? reject(err instanceof Error ? err : new Error('replay not confirmed by the broker')) : resolve()),
      ),
    );
    ch.ack(m);
    replayed.push(p);
  });
  return replayed;
}

export async function purgeParked(conn: amqp.ChannelModel, prefix: string, selection: Selection): Promise<ParkedMessage[]> {
  const purged: ParkedMessage[] = [];
  await walk(conn, prefix, async (m, p, ch) => {
    if (!selected(p, selection)) return;
    ch.ack(m);
    purged.push(p);
  });
  return purged;
}
