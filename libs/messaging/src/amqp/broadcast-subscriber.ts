import type { Channel } from 'amqplib';
import { ExchangeRole } from '@asyncops/contracts';
import type { ContextLogger } from '@asyncops/platform';
import { AmqpConnection } from './connection';

/** Told when the subscription starts receiving, and when it stops (messages may be missed until the next start). */
export interface BroadcastSubscriptionHooks {
  subscribed?(): void;
  lost?(): void;
}

/**
 * A per-process, non-durable subscription for notifications every replica must see (each gateway
 * instance hears every operation change to wake its own waiting requests). It is not a work
 * queue: the queue lives and dies with the process, and a message is acked once handed over.
 */
export class BroadcastSubscriber {
  private channel?: Channel;
  private stopped = false;
  private readonly onConnected = () => void this.subscribe().catch((e) => this.log.warn({ msg: 'broadcast subscribe failed', error: (e as Error).message }));

  constructor(
    private readonly connection: AmqpConnection,
    private readonly patterns: string[],
    private readonly onMessage: (routingKey: string, body: unknown) => void,
    private readonly log: ContextLogger,
    private readonly hooks: BroadcastSubscriptionHooks = {},
  ) {}

  async start(): Promise<void> {
    this.connection.on('connected', this.onConnected);
    if (this.connection.isConnected()) await this.subscribe();
  }

  private async subscribe(): Promise<void> {
    if (this.stopped) return;
    const ch = await this.connection.createChannel();
    ch.on('error', () => undefined);
    let open = true;
    ch.on('close', () => {
      open = false;
      if (this.channel === ch) this.channel = undefined;
      this.hooks.lost?.();
    });
    const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
    for (const p of this.patterns) await ch.bindQueue(queue, this.connection.topology.exchange(ExchangeRole.Events), p);
    await ch.prefetch(500);
    await ch.consume(queue, (msg) => {
      if (!msg) return;
      try {
        this.onMessage(msg.fields.routingKey, JSON.parse(msg.content.toString('utf8')));
      } catch (e) {
        this.log.warn({ msg: 'unreadable broadcast ignored', error: (e as Error).message });
      }
      ch.ack(msg);
    });
    // A channel that closed while being set up has already reported the loss; the next connect subscribes again.
    if (!open) return;
    this.channel = ch;
    this.hooks.subscribed?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.connection.off('connected', this.onConnected);
    await this.channel?.close().catch(() => undefined);
  }
}
