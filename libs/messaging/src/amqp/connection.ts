import { EventEmitter } from 'node:events';
import * as amqp from 'amqplib';
import type { ContextLogger } from '@asyncops/platform';
import { unlessBlocked } from './blocking';
import { coalesceFrameWrites } from './frame-writes';
import { Topology } from './topology';

const HEARTBEAT_SECONDS = 10;
/** Closing waits this long for the broker's close-ok; then the socket is destroyed. */
const CLOSE_TIMEOUT_MS = 5000;
/**
 * RabbitMQ tells a connection it is blocked only when the connection publishes. An empty,
 * unroutable probe this often lets an idle process learn of a resource alarm (and report it on
 * /health/ready) before a client's request runs into it.
 */
const BLOCK_PROBE_MS = 500;

/**
 * One broker connection per process, re-established with backoff whenever it drops. Consumers and
 * the RPC client listen for `connected` to rebuild their channels; publishers wait for it.
 */
export class AmqpConnection extends EventEmitter {
  private connection?: amqp.ChannelModel;
  private publishChannel?: amqp.ConfirmChannel;
  private publishChannelOpening?: Promise<amqp.ConfirmChannel>;
  private stopping = false;
  private reconnectTimer?: NodeJS.Timeout;
  private attempt = 0;
  private blockedReason?: string;

  constructor(
    private readonly url: string,
    readonly topology: Topology,
    private readonly log: ContextLogger,
    private readonly clientName: string,
  ) {
    super();
    this.setMaxListeners(100);
  }

  /**
   * The broker user this process connects as. Publishes carry it as the AMQP `user_id`, which
   * RabbitMQ checks against the connection's user, so consumers can trust who sent a message.
   */
  get user(): string {
    try {
      return decodeURIComponent(new URL(this.url).username) || 'guest';
    } catch {
      return 'guest';
    }
  }

  private readonly declarations: Array<(ch: amqp.Channel) => Promise<void>> = [];

  /**
   * Topology declared on every connect before the connection counts as connected (and so before
   * /health/ready passes): a message published once a replica is ready then has its queue. Run
   * at once when already connected.
   */
  async declareOnConnect(declare: (ch: amqp.Channel) => Promise<void>): Promise<void> {
    this.declarations.push(declare);
    const conn = this.connection;
    if (!conn || this.stopping) return;
    const ch = await conn.createChannel();
    try {
      await declare(ch);
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  private readonly readinessGates: Array<() => string | undefined> = [];

  /** A condition /health/ready waits for besides the connection (e.g. a consumer's subscriptions): it answers why not yet, or undefined. */
  addReadinessGate(gate: () => string | undefined): void {
    this.readinessGates.push(gate);
  }

  /** Why the broker side is not ready for work yet though connected, or undefined. */
  notReadyReason(): string | undefined {
    for (const gate of this.readinessGates) {
      const reason = gate();
      if (reason) return reason;
    }
    return undefined;
  }

  isConnected(): boolean {
    return !!this.connection && !this.stopping;
  }

  /**
   * The reason the broker gave for blocking this connection's publishes (a resource alarm), or
   * undefined. RabbitMQ tells a connection when it next publishes, and again when it unblocks.
   */
  get blocked(): string | undefined {
    return this.blockedReason;
  }

  async start(): Promise<void> {
    this.stopping = false;
    await this.connect();
  }

  private async connect(): Promise<void> {
    const url = new URL(this.url);
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(HEARTBEAT_SECONDS));
    // Nagle's algorithm holds small frames back ~40 ms; request/reply and confirms need them now.
    const conn = await amqp.connect(url.toString(), {
      noDelay: true,
      timeout: 5000,
      clientProperties: { connection_name: this.clientName },
    });
    if (!coalesceFrameWrites(conn)) this.log.warn({ msg: 'amqplib internals changed: frames are written one by one', event: 'amqp-frame-writes-uncoalesced' });
    conn.on('error', (e: Error) => this.log.warn({ msg: 'broker connection error', error: e.message }));
    conn.on('close', () => this.onClosed(conn));
    conn.on('blocked', (reason: string) => {
      if (this.connection !== conn) return;
      this.blockedReason = reason || 'resource alarm';
      this.log.warn({ msg: 'broker blocked publishing', reason: this.blockedReason, event: 'broker-blocked' });
      this.emit('blocked', this.blockedReason);
    });
    conn.on('unblocked', () => {
      if (this.connection !== conn || this.blockedReason === undefined) return;
      this.blockedReason = undefined;
      this.log.info({ msg: 'broker unblocked publishing', event: 'broker-unblocked' });
      this.emit('unblocked');
    });
    const ch = await conn.createChannel();
    await this.topology.assertBase(ch);
    for (const declare of this.declarations) await declare(ch);
    this.startBlockProbe(conn, ch);
    this.connection = conn;
    this.blockedReason = undefined;
    this.attempt = 0;
    this.log.info({ msg: 'connected to broker', event: 'broker-connected' });
    this.emit('connected', conn);
  }

  private blockProbe?: NodeJS.Timeout;

  private startBlockProbe(conn: amqp.ChannelModel, ch: amqp.Channel): void {
    clearInterval(this.blockProbe);
    ch.on('error', () => undefined);
    const routingKey = `${this.topology.prefix}.block-probe`;
    this.blockProbe = setInterval(() => {
      if (this.connection !== conn || this.blockedReason !== undefined) return;
      try {
        // The default exchange drops it: no queue has this name.
        ch.publish('', routingKey, Buffer.alloc(0), { persistent: false });
      } catch {
        // The channel closed; the connection's own handlers deal with it.
      }
    }, BLOCK_PROBE_MS);
    this.blockProbe.unref();
  }

  private onClosed(conn: amqp.ChannelModel): void {
    if (this.connection !== conn) return;
    this.connection = undefined;
    this.publishChannel = undefined;
    this.publishChannelOpening = undefined;
    if (this.blockedReason !== undefined) {
      this.blockedReason = undefined;
      this.emit('unblocked');
    }
    this.emit('disconnected');
    if (this.stopping) return;
    this.log.warn({ msg: 'broker connection lost; reconnecting', event: 'broker-disconnected' });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopping || this.reconnectTimer) return;
    const delay = Math.min(5000, 100 * 2 ** this.attempt++);
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = undefined;
      try {
        await this.connect();
      } catch (e) {
        this.log.warn({ msg: 'broker reconnect failed', error: (e as Error).message, retryInMs: Math.min(5000, 100 * 2 ** this.attempt) });
        this.scheduleReconnect();
      }
    }, delay);
  }

  /** Resolves once connected, or rejects after `timeoutMs`. */
  waitForConnection(timeoutMs: number): Promise<amqp.ChannelModel> {
    if (this.connection) return Promise.resolve(this.connection);
    return new Promise((resolve, reject) => {
      const onConnected = (c: amqp.ChannelModel) => {
        clearTimeout(timer);
        resolve(c);
      };
      const timer = setTimeout(() => {
        this.off('connected', onConnected);
        reject(new Error(`broker not connected within ${timeoutMs} ms`));
      }, timeoutMs);
      this.once('connected', onConnected);
    });
  }

  /** A confirm channel shared by all publishes of this process; reopened after any failure. */
  async getPublishChannel(timeoutMs: number): Promise<amqp.ConfirmChannel> {
    if (this.publishChannel) return this.publishChannel;
    if (!this.publishChannelOpening) {
      this.publishChannelOpening = (async () => {
        const conn = await this.waitForConnection(timeoutMs);
        const ch = await conn.createConfirmChannel();
        ch.on('error', (e: Error) => this.log.warn({ msg: 'publish channel error', error: e.message }));
        ch.on('close', () => {
          if (this.publishChannel === ch) this.publishChannel = undefined;
        });
        this.publishChannel = ch;
        return ch;
      })().finally(() => {
        this.publishChannelOpening = undefined;
      });
    }
    return unlessBlocked(this, this.publishChannelOpening, timeoutMs, 'opening the publish channel');
  }

  async createChannel(): Promise<amqp.Channel> {
    if (!this.connection) throw new Error('broker not connected');
    return this.connection.createChannel();
  }

  async createConfirmChannel(): Promise<amqp.ConfirmChannel> {
    if (!this.connection) throw new Error('broker not connected');
    return this.connection.createConfirmChannel();
  }

  async close(): Promise<void> {
    this.stopping = true;
    clearInterval(this.blockProbe);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const conn = this.connection;
    this.connection = undefined;
    if (!conn) return;
    // A blocked or half-dead broker may never answer close; the process must still exit.
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      conn.close().then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (!closed) {
      this.log.warn({ msg: `broker did not confirm close within ${CLOSE_TIMEOUT_MS} ms; dropping the socket`, event: 'broker-close-timeout' });
      (conn as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    }
  }
}
