import { Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { TrackerEvents } from '@asyncops/contracts';
import { AmqpConnection, BroadcastSubscriber } from '@asyncops/messaging';
import { ContextLogger, JsonLogger } from '@asyncops/platform';
import { GatewayConfig } from '../../config';
import { WaitHandle } from '../tracker/operation-waiter';

/** Bounds the sockets one gateway process holds open for streams; beyond it new streams get a 503. */
export const MAX_LIVE_STREAMS = 5_000;
/** Streams one client may hold open on one gateway process; beyond it its new streams get a 429. */
export const MAX_LIVE_STREAMS_PER_CLIENT = 10;

/** Why a stream could not be opened. */
export type StreamRefusal = 'process-full' | 'client-full' | 'closing';

/**
 * One broadcast subscription per gateway process; each open stream registers a handle under its
 * owner and is woken by any change of that owner's operations.
 */
@Injectable()
export class LiveEventHub implements OnModuleInit, OnModuleDestroy {
  private readonly streams = new Map<string, Set<WaitHandle>>();
  private readonly log: ContextLogger;
  private subscriber?: BroadcastSubscriber;
  private count = 0;
  private closed = false;

  private readonly maxStreams: number;
  private readonly maxPerClient: number;

  constructor(
    private readonly connection: AmqpConnection,
    logger: JsonLogger,
    @Optional() config?: GatewayConfig,
  ) {
    this.log = logger.child('LiveEventHub');
    this.maxStreams = config?.LIVE_STREAMS_MAX ?? MAX_LIVE_STREAMS;
    this.maxPerClient = config?.LIVE_STREAMS_PER_CLIENT ?? MAX_LIVE_STREAMS_PER_CLIENT;
  }

  async onModuleInit(): Promise<void> {
    this.subscriber = new BroadcastSubscriber(this.connection, [TrackerEvents.OperationChanged], (_key, body) => this.onOperationChanged(body), this.log);
    try {
      await this.subscriber.start();
    } catch (e) {
      // Not fatal: streams still read the log on every heartbeat, only later.
      this.log.warn({ msg: 'live event subscription failed; streams fall back to heartbeat polling', error: (e as Error).message });
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const handles of this.streams.values()) for (const h of handles) h.notify('closed');
    await this.subscriber?.stop();
  }

  get openStreams(): number {
    return this.count;
  }

  onOperationChanged(body: unknown): void {
    if (!body || typeof body !== 'object') return;
    const { ownerId } = body as { ownerId?: unknown };
    if (typeof ownerId !== 'string') return;
    const handles = this.streams.get(ownerId);
    if (handles) for (const h of handles) h.notify('changed');
  }

  /** A handle for a new stream, or null when the process is at its limit or shutting down. */
  register(ownerId: string): WaitHandle | null {
    const opened = this.open(ownerId);
    return opened instanceof WaitHandle ? opened : null;
  }

  /** A handle for a new stream, or why not: the process or the client is at its limit, or the process is closing. */
  open(ownerId: string): WaitHandle | StreamRefusal {
    if (this.closed) return 'closing';
    if (this.count >= this.maxStreams) return 'process-full';
    if ((this.streams.get(ownerId)?.size ?? 0) >= this.maxPerClient) return 'client-full';
    const handle = new WaitHandle();
    let handles = this.streams.get(ownerId);
    if (!handles) {
      handles = new Set();
      this.streams.set(ownerId, handles);
    }
    handles.add(handle);
    this.count++;
    return handle;
  }

  unregister(ownerId: string, handle: WaitHandle): void {
    const handles = this.streams.get(ownerId);
    if (!handles?.delete(handle)) return;
    this.count--;
    if (handles.size === 0) this.streams.delete(ownerId);
  }
}
