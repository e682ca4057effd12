import { EventEmitter } from 'node:events';
import * as amqp from 'amqplib';
import type { ContextLogger } from '@asyncops/platform';
import { Topology } from './topology';

const HEARTBEAT_SECONDS = 10;

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

  constructor(
    private readonly url: string,
    readonly topology: Topology,
    private readonly log: ContextLogger,
    private readonly clientName: string,
  ) {
    super();
    this.setMaxListeners(100);
  }

  isConnected(): boolean {
    return !!this.connection && !this.stopping;
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
    conn.on('error', (e: Error) => this.log.warn({ msg: 'broker connection error', error: e.message }));
    conn.on('close', () => this.onClosed(conn));
    const ch = await conn.createChannel();
    await this.topology.assertBase(ch);
    await ch.close();
    this.connection = conn;
    this.attempt = 0;
    this.log.info({ msg: 'connected to broker', event: 'broker-connected' });
    this.emit('connected', conn);
  }

  private onClosed(conn: amqp.ChannelModel): void {
    if (this.connection !== conn) return;
    this.connection = undefined;
    this.publishChannel = undefined;
    this.publishChannelOpening = undefined;
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
    return this.publishChannelOpening;
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
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const conn = this.connection;
    this.connection = undefined;
    if (conn) await conn.close().catch(() => undefined);
  }
}
