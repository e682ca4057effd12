import { randomUUID } from 'node:crypto';
import type { Options } from 'amqplib';
import { ExchangeRole, Headers, PayloadOf, RoutingKey } from '@asyncops/contracts';
import { ContextLogger, currentCorrelationId, messagesPublished } from '@asyncops/platform';
import { AmqpConnection } from './connection';

export interface OutgoingMessage {
  exchange: ExchangeRole;
  routingKey: string;
  body: unknown;
  messageId?: string;
  headers?: Record<string, unknown>;
  correlationId?: string;
  replyTo?: string;
}

const RETRY_PAUSE_MS = 250;

/** The AMQP properties of a message, derived the same way for direct and outbox publishes. */
export function messageProperties(m: OutgoingMessage, producer: string): Options.Publish {
  const body = m.body as { operationId?: unknown };
  const headers: Record<string, unknown> = { [Headers.Producer]: producer, ...(m.headers ?? {}) };
  // A header present but undefined means "about no operation" (see the consumer's dead-lettering).
  if (typeof body?.operationId === 'string' && !(Headers.OperationId in headers)) {
    headers[Headers.OperationId] = body.operationId;
  }
  // Messages published while handling a request or message carry its correlation id onwards.
  const correlationId = currentCorrelationId();
  if (correlationId && headers[Headers.CorrelationId] === undefined) headers[Headers.CorrelationId] = correlationId;
  return {
    messageId: m.messageId ?? randomUUID(),
    type: m.routingKey,
    contentType: 'application/json',
    persistent: true,
    timestamp: Math.floor(Date.now() / 1000),
    headers,
    correlationId: m.correlationId,
    replyTo: m.replyTo,
  };
}

/**
 * Publishes with publisher confirms: a publish resolves only when the broker has taken
 * responsibility for the message. While the broker is away it waits and retries until the
 * deadline; a retry may duplicate a message, which idempotent consumers absorb.
 */
export class ConfirmedPublisher {
  constructor(
    private readonly connection: AmqpConnection,
    private readonly producer: string,
    private readonly log: ContextLogger,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Typed publish of a contract message. */
  publishEvent<K extends RoutingKey>(routingKey: K, payload: PayloadOf<K>, options: Partial<OutgoingMessage> = {}): Promise<void> {
    return this.publish({ exchange: ExchangeRole.Events, ...options, routingKey, body: payload });
  }

  publish(message: OutgoingMessage): Promise<void> {
    return this.publishMany([message]);
  }

  async publishMany(messages: OutgoingMessage[]): Promise<void> {
    if (!messages.length) return;
    const deadline = Date.now() + this.timeoutMs;
    const prepared = messages.map((m) => ({
      exchange: this.connection.topology.exchange(m.exchange),
      routingKey: m.routingKey,
      content: Buffer.from(JSON.stringify(m.body)),
      // The broker rejects a user_id that is not the connection's user: the sender is proven.
      props: { ...messageProperties(m, this.producer), userId: this.connection.user },
    }));
    for (;;) {
      try {
        const ch = await this.connection.getPublishChannel(Math.max(1, deadline - Date.now()));
        await Promise.all(
          prepared.map(
            (p) =>
              new Promise<void>((resolve, reject) => {
                ch.publish(p.exchange, p.routingKey, p.content, p.props, (err) =>
                  err ? reject(err instanceof Error ? err : new Error('publish not confirmed by the broker')) : resolve(),
                );
              }),
          ),
        );
        for (const m of messages) messagesPublished.inc({ exchange: m.exchange });
        return;
      } catch (e) {
        if (Date.now() + RETRY_PAUSE_MS > deadline) {
          throw new Error(`publish failed after ${this.timeoutMs} ms: ${(e as Error).message}`);
        }
        this.log.warn({ msg: 'publish not confirmed; retrying', error: (e as Error).message, count: messages.length });
        await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
      }
    }
  }
}
