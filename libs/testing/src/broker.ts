import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { TEST_AMQP_URL } from './env';

/**
 * A plain amqplib client for tests: it plays an external producer and inspects queues, with
 * no code of ours in between.
 */
/** The durable queues the four services declare under a prefix. */
const SERVICE_QUEUES = [
  'tracker.events',
  'tracker.rpc',
  'tracker.requests',
  'tracker.reads',
  'tracker.dead-letter-watch',
  'order-placement.commands',
  'order-placement.rpc',
  'order-placement.requests',
  'order-placement.reads',
  'order-placement.conversion',
  'order-placement.cancellations',
  'importer.commands',
  'importer.rpc',
  'importer.requests',
  'importer.cancellations',
  // The tracker's lifecycle events, partitioned by operation (apps/tracker/src/queues.ts).
  ...Array.from({ length: 16 }, (_, p) => `tracker.events.p${p}`),
];

/** Exchanges the services declare under a prefix besides the three of every deployment. */
const SERVICE_EXCHANGES = ['tracker.events.hash'];

export class TestBroker {
  private constructor(
    readonly connection: amqp.ChannelModel,
    readonly channel: amqp.ConfirmChannel,
    readonly prefix: string,
    readonly url: string,
  ) {}

  /** `url`: another broker than the shared one (a private node, or another broker user). */
  static async connect(prefix: string, url = TEST_AMQP_URL): Promise<TestBroker> {
    const connection = await amqp.connect(url, { noDelay: true });
    // A suite that restarts the broker kills this connection; teardown must still run.
    connection.on('error', () => undefined);
    const channel = await connection.createConfirmChannel();
    return new TestBroker(connection, channel, prefix, url);
  }

  exchange(role: 'events' | 'commands' | 'dead-letter'): string {
    return `${this.prefix}.${role}`;
  }

  /** Publishes as any producer would: JSON body, message id, operation header, confirmed. */
  async publish(
    routingKey: string,
    body: unknown,
    opts: { messageId?: string; exchange?: 'events' | 'commands'; raw?: Buffer; headers?: Record<string, unknown>; userId?: string } = {},
  ): Promise<string> {
    const messageId = opts.messageId ?? randomUUID();
    const op = (body as { operationId?: string })?.operationId;
    this.channel.publish(this.exchange(opts.exchange ?? 'events'), routingKey, opts.raw ?? Buffer.from(JSON.stringify(body)), {
      messageId,
      persistent: true,
      contentType: 'application/json',
      headers: { ...(op ? { 'x-operation-id': op } : {}), ...(opts.headers ?? {}) },
      ...(opts.userId ? { userId: opts.userId } : {}),
    });
    await this.channel.waitForConfirms();
    return messageId;
  }

  /** Publishes many messages and waits for all their confirms at once. */
  async publishMany(messages: Array<{ routingKey: string; body: unknown; messageId?: string }>): Promise<void> {
    for (const m of messages) {
      const op = (m.body as { operationId?: string })?.operationId;
      this.channel.publish(this.exchange('events'), m.routingKey, Buffer.from(JSON.stringify(m.body)), {
        messageId: m.messageId ?? randomUUID(),
        persistent: true,
        contentType: 'application/json',
        headers: op ? { 'x-operation-id': op } : {},
      });
    }
    await this.channel.waitForConfirms();
  }

  async messageCount(queue: string): Promise<number> {
    const ch = await this.connection.createChannel();
    try {
      return (await ch.checkQueue(`${this.prefix}.${queue}`)).messageCount;
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  /** Reads (and acks) every message currently in a queue. */
  async drain(queue: string): Promise<amqp.GetMessage[]> {
    const ch = await this.connection.createChannel();
    const out: amqp.GetMessage[] = [];
    try {
      for (;;) {
        const m = await ch.get(`${this.prefix}.${queue}`, { noAck: false });
        if (!m) break;
        out.push(m);
        ch.ack(m);
      }
    } finally {
      await ch.close().catch(() => undefined);
    }
    return out;
  }

  /** Removes every queue and exchange the suite's prefix created (on a fresh connection, in
   * case a test restarted the broker under the suite's own). */
  async deleteTopology(queues: string[]): Promise<void> {
    const conn = await amqp.connect(this.url);
    conn.on('error', () => undefined);
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    // Every queue the services declare, whether or not the suite named it (deleting an absent queue is a no-op).
    for (const q of new Set([...queues, ...SERVICE_QUEUES, 'dead-letter'])) await ch.deleteQueue(`${this.prefix}.${q}`).catch(() => undefined);
    for (const e of [...SERVICE_EXCHANGES, 'events', 'commands', 'dead-letter']) await ch.deleteExchange(`${this.prefix}.${e}`).catch(() => undefined);
    await conn.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
