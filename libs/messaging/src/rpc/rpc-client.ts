import { randomUUID } from 'node:crypto';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { ExchangeRole, Headers, PayloadOf, RpcErrorCode, RpcResponses, RpcRoutingKey } from '@asyncops/contracts';
import type { ContextLogger } from '@asyncops/platform';
import { AmqpConnection } from '../amqp/connection';
import { unlessBlocked } from '../amqp/blocking';
import { BrokerBlockedError } from '../amqp/errors';
import { messageProperties } from '../amqp/publisher';

const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

/**
 * Epoch milliseconds after which the caller no longer waits for the answer. A server drops a
 * request it receives later (e.g. after a pause or a broker alarm) without running it.
 */
export const RPC_DEADLINE_HEADER = 'x-rpc-deadline';

export type RpcReply<T> = { ok: true; data: T } | { ok: false; error: { code: RpcErrorCode; message: string; details?: Record<string, unknown> } };

export class RpcError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Request/reply over RabbitMQ's direct reply-to: no reply queue to declare or clean up, and the
 * broker routes each answer straight back to this channel. Requests are confirmed publishes.
 */
export class RpcClient {
  private channel?: ConfirmChannel;
  private opening?: Promise<ConfirmChannel>;
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly connection: AmqpConnection,
    private readonly producer: string,
    private readonly log: ContextLogger,
    private readonly defaultTimeoutMs = 10_000,
  ) {
    connection.on('disconnected', () => {
      this.channel = undefined;
    });
    // Replies cannot come while the broker blocks publishers (the services' replies are blocked
    // too): callers get their answer now instead of at their timeout.
    connection.on('blocked', (reason: string) => this.failPending(() => new BrokerBlockedError(reason)));
    // The channel is opened as soon as the broker is there, not by the first request: a first
    // request that met an alarm would otherwise wait on a channel.open the broker does not read.
    connection.on('connected', () => {
      this.getChannel(this.defaultTimeoutMs).catch((e: Error) => this.log.warn({ msg: 'rpc channel not opened', error: e.message }));
    });
  }

  private failPending(error: () => Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(error());
    }
  }

  private async getChannel(timeoutMs: number): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    this.opening ??= (async () => {
      await this.connection.waitForConnection(timeoutMs);
      const ch = await this.connection.createConfirmChannel();
      ch.on('error', (e: Error) => this.log.warn({ msg: 'rpc channel error', error: e.message }));
      ch.on('close', () => {
        if (this.channel === ch) this.channel = undefined;
      });
      // Direct reply-to only works in no-ack mode (a RabbitMQ rule): replies are not redelivered,
      // and a lost reply surfaces to the caller as a timeout, never as lost work.
      await ch.consume(DIRECT_REPLY_TO, (msg) => msg && this.onReply(msg), { noAck: true });
      this.channel = ch;
      return ch;
    })().finally(() => {
      this.opening = undefined;
    });
    return unlessBlocked(this.connection, this.opening, timeoutMs, 'opening the request channel');
  }

  private onReply(msg: ConsumeMessage): void {
    const id = msg.properties.correlationId as string | undefined;
    const p = id ? this.pending.get(id) : undefined;
    if (!p || !id) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    try {
      const reply = JSON.parse(msg.content.toString('utf8')) as RpcReply<unknown>;
      if (reply.ok) p.resolve(reply.data);
      else p.reject(new RpcError(reply.error.code, reply.error.message, reply.error.details));
    } catch (e) {
      p.reject(new RpcError(RpcErrorCode.Internal, `unreadable reply: ${(e as Error).message}`));
    }
  }

  /**
   * `options.messageId`: a stable id for a request that changes something, so that a retry of
   * the same logical request (e.g. under one Idempotency-Key) is answered from the server's reply
   * store instead of running twice. Without it every call is new.
   */
  async request<K extends RpcRoutingKey>(routingKey: K, payload: PayloadOf<K>, timeoutMs = this.defaultTimeoutMs, options: { messageId?: string } = {}): Promise<RpcResponses[K]> {
    const blocked = this.connection.blocked;
    if (blocked !== undefined) throw new BrokerBlockedError(blocked);
    const ch = await this.getChannel(timeoutMs);
    const correlationId = randomUUID();
    const result = new Promise<RpcResponses[K]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new RpcError(RpcErrorCode.Timeout, `no reply to ${routingKey} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(correlationId, { resolve: resolve as (v: unknown) => void, reject, timer });
    });
    const props = messageProperties(
      { exchange: ExchangeRole.Commands, routingKey, body: payload, correlationId, replyTo: DIRECT_REPLY_TO, messageId: options.messageId },
      this.producer,
    );
    // A request is about nothing the dead-letter watcher may act on: it names no operation.
    if (props.headers) delete props.headers[Headers.OperationId];
    // Requests are worthless once the caller gave up: the broker drops them after the timeout
    // (counted from when they are queued), and the server drops any that reach it past the deadline.
    props.expiration = String(timeoutMs);
    props.persistent = false;
    // The caller's broker user, checked by RabbitMQ: a server may decide by it (the tracker relays a job's events only for users that may report for its producer).
    props.userId = this.connection.user;
    props.headers = { ...(props.headers ?? {}), [RPC_DEADLINE_HEADER]: Date.now() + timeoutMs };
    const confirmed = new Promise<void>((resolve, reject) => {
      try {
        ch.publish(this.connection.topology.exchange(ExchangeRole.Commands), routingKey, Buffer.from(JSON.stringify(payload)), props, (err) =>
          err ? reject(new RpcError(RpcErrorCode.Internal, 'request not confirmed by the broker')) : resolve(),
        );
      } catch (e) {
        reject(e as Error);
      }
    }).catch((e: Error) => {
      const p = this.pending.get(correlationId);
      if (p) {
        clearTimeout(p.timer);
        this.pending.delete(correlationId);
      }
      throw e;
    });
    // Whichever settles first answers the caller: the reply or timeout (even while the confirm is
    // still outstanding, e.g. under a broker alarm), or a refused publish. Promise.race handles
    // the loser's later rejection, so nothing is ever left unhandled.
    return Promise.race([result, confirmed.then(() => result)]);
  }

  close(): void {
    this.failPending(() => new RpcError(RpcErrorCode.Timeout, 'client closed'));
  }
}
