import { Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { OperationView, TrackerEvents } from '@asyncops/contracts';
import { AmqpConnection, BroadcastSubscriber } from '@asyncops/messaging';
import { ContextLogger, JsonLogger } from '@asyncops/platform';
import { GatewayConfig } from '../../config';
import { LruCache } from '../auth/lru-cache';

export interface OperationViewCacheOptions {
  capacity: number;
  /** How long a view may be served after it was read; 0 turns the cache off. */
  maxAgeMs: number;
  now?: () => number;
}

interface Entry {
  /** The newest version known: of the view held, or of a change heard since (then no view is held). */
  version: number;
  view?: OperationView;
  /** When the read that produced the view started (a view is never younger than its read). */
  readAt: number;
}

/** A read in progress: its answer is stored only if nothing invalidated the cache meanwhile. */
export interface CacheRead {
  readonly key: string;
  readonly generation: number;
  readonly startedAt: number;
}

const keyOf = (operationId: string) => operationId.toLowerCase();

/**
 * Operation views this gateway process has read or been handed (submits, cancels), so a client
 * polling an operation costs no broker round trip and no tracker transaction per read.
 *
 * It is kept current by the tracker's change stream: a change newer than the view held drops it
 * (the next read asks the tracker and stores the answer), and a view is never replaced by an older
 * version, including a read that was already under way when the change was heard. Views expire
 * after `maxAgeMs`, so a missed notification cannot keep one alive; and everything is dropped,
 * and nothing served, whenever the subscription is not live (events may have been missed).
 *
 * Ownership is unchanged: a view is served only to its owner; anyone else's read goes to the
 * tracker, which answers "not found" as it always did.
 */
export class OperationViewStore {
  private readonly entries: LruCache<string, Entry>;
  private readonly reading = new Map<string, number>();
  /** Reads under way that a later reader of the same owner may share, until anything about the operation is heard. */
  private readonly shared = new Map<string, Map<string, Promise<OperationView>>>();
  private readonly now: () => number;
  private generation = 0;
  private live = false;

  constructor(private readonly options: OperationViewCacheOptions) {
    this.entries = new LruCache(options.capacity);
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.maxAgeMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The view to serve to `ownerId`, or undefined when the tracker must be asked. */
  get(ownerId: string, operationId: string): OperationView | undefined {
    return this.lookup(ownerId, operationId)?.view;
  }

  /**
   * The view to serve to `ownerId`, and whether it is past half its maximum age with no read
   * under way: then the caller refreshes it in the background, so a view that is read often is
   * replaced before it expires instead of every reader waiting for the tracker at once.
   */
  lookup(ownerId: string, operationId: string): { view: OperationView; refresh: boolean } | undefined {
    if (!this.live || !this.enabled) return undefined;
    const key = keyOf(operationId);
    const entry = this.entries.get(key);
    if (!entry?.view) return undefined;
    const age = this.now() - entry.readAt;
    if (age > this.options.maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    if (entry.view.ownerId !== ownerId) return undefined;
    return { view: entry.view, refresh: age > this.options.maxAgeMs / 2 && !this.reading.has(key) };
  }

  /** A read of this owner's operation already under way that a new reader may wait for instead of asking again. */
  sharedRead(ownerId: string, operationId: string): Promise<OperationView> | undefined {
    if (!this.live || !this.enabled) return undefined;
    return this.shared.get(keyOf(operationId))?.get(ownerId);
  }

  /** Offers a read under way to later readers of the same owner until it settles or anything about the operation is heard. */
  share(ownerId: string, operationId: string, read: Promise<OperationView>): void {
    if (!this.live || !this.enabled) return;
    const key = keyOf(operationId);
    let byOwner = this.shared.get(key);
    if (!byOwner) {
      byOwner = new Map();
      this.shared.set(key, byOwner);
    }
    byOwner.set(ownerId, read);
    const done = () => {
      const current = this.shared.get(key);
      if (current?.get(ownerId) !== read) return;
      current.delete(ownerId);
      if (!current.size) this.shared.delete(key);
    };
    read.then(done, done);
  }

  /** Called before asking the tracker; pass the result to `finishRead` whatever the outcome. */
  beginRead(operationId: string): CacheRead {
    const key = keyOf(operationId);
    this.reading.set(key, (this.reading.get(key) ?? 0) + 1);
    return { key, generation: this.generation, startedAt: this.now() };
  }

  /** Stores the tracker's answer unless a newer change was heard, or the cache was dropped, while it was read. */
  finishRead(read: CacheRead, view?: OperationView): void {
    const left = (this.reading.get(read.key) ?? 1) - 1;
    if (left > 0) this.reading.set(read.key, left);
    else this.reading.delete(read.key);
    if (isView(view) && read.generation === this.generation && keyOf(view.id) === read.key) this.put(view, read.startedAt);
  }

  /** A view the tracker answered a write with (submit, cancel): read-your-writes without a read. */
  store(view: OperationView): void {
    // Only a whole view is kept (a write's answer is the tracker's business, not checked here).
    if (!isView(view)) return;
    // A read that started before this write must not answer anyone who asks after it.
    this.shared.delete(keyOf(view.id));
    this.put(view, this.now());
  }

  /**
   * A change notification: any view older than `version` is out of date. When the change carries
   * the record at that version, it is the view (a woken long-poll then answers without a read).
   */
  changed(operationId: string, version: number, view?: OperationView): void {
    const key = keyOf(operationId);
    this.shared.delete(key);
    const entry = this.entries.peek(key);
    if (entry && entry.version >= version) return;
    // Remembered only where it matters: a view held, or a read under way that may answer an older one.
    if (!entry && !this.reading.has(key)) return;
    if (isView(view) && keyOf(view.id) === key && view.version === version) this.put(view, this.now());
    else this.entries.set(key, { version, readAt: this.now() });
  }

  /** A deleted operation: nothing of it may be served or stored again. */
  deleted(operationId: string): void {
    const key = keyOf(operationId);
    this.shared.delete(key);
    if (this.entries.has(key) || this.reading.has(key)) this.entries.set(key, { version: Number.POSITIVE_INFINITY, readAt: this.now() });
  }

  /** Drops what is held of one operation. */
  forget(operationId: string): void {
    this.entries.delete(keyOf(operationId));
    this.shared.delete(keyOf(operationId));
  }

  /** Drops the owner's views of these operation numbers (deleted through this process). */
  deletedNumbers(ownerId: string, asyncOperationNumbers: readonly number[]): void {
    if (!asyncOperationNumbers.length) return;
    const numbers = new Set(asyncOperationNumbers);
    for (const key of this.entries.keys()) {
      const view = this.entries.peek(key)?.view;
      if (view && view.ownerId === ownerId && numbers.has(numberOf(view.asyncOperationNumber))) this.deleted(key);
    }
  }

  /**
   * The change stream started (`true`: everything before it may have been missed) or stopped
   * (`false`: nothing is served until it starts again). Either way every view is dropped and reads
   * under way are not stored.
   */
  reset(live: boolean): void {
    this.entries.clear();
    this.shared.clear();
    this.generation++;
    this.live = live;
  }

  private put(view: OperationView, readAt: number): void {
    if (!this.live || !this.enabled) return;
    const key = keyOf(view.id);
    const entry = this.entries.peek(key);
    if (entry && entry.version > view.version) return;
    this.entries.set(key, { version: view.version, view, readAt });
  }
}

function isView(value: OperationView | undefined): value is OperationView {
  return typeof value?.id === 'string' && typeof value.ownerId === 'string' && Number.isInteger(value.version);
}

/** AON-0000000042 → 42; NaN for anything else. */
function numberOf(formatted: string): number {
  const m = /(\d+)$/.exec(formatted);
  return m ? Number(m[1]) : Number.NaN;
}

/** The process's OperationViewStore, fed by its own subscription to the tracker's changes and deletions. */
@Injectable()
export class OperationViewCache extends OperationViewStore implements OnModuleInit, OnModuleDestroy {
  private readonly log: ContextLogger;
  private subscriber?: BroadcastSubscriber;

  constructor(
    private readonly connection: AmqpConnection,
    logger: JsonLogger,
    @Optional() config?: GatewayConfig,
  ) {
    super({ capacity: config?.OPERATION_CACHE_SIZE ?? 10_000, maxAgeMs: config?.OPERATION_CACHE_MAX_AGE_MS ?? 0 });
    this.log = logger.child('OperationViewCache');
  }

  async onModuleInit(): Promise<void> {
    if (!this.enabled) return;
    this.subscriber = new BroadcastSubscriber(
      this.connection,
      [TrackerEvents.OperationChanged, TrackerEvents.OperationDeleted],
      (routingKey, body) => this.onMessage(routingKey, body),
      this.log,
      { subscribed: () => this.reset(true), lost: () => this.reset(false) },
    );
    try {
      await this.subscriber.start();
    } catch (e) {
      // Not fatal: every read asks the tracker until the subscription is up.
      this.log.warn({ msg: 'operation change subscription failed; status reads go to the tracker', error: (e as Error).message });
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.reset(false);
    await this.subscriber?.stop();
  }

  onMessage(routingKey: string, body: unknown): void {
    if (!body || typeof body !== 'object') return;
    const { operationId, version } = body as { operationId?: unknown; version?: unknown };
    if (typeof operationId !== 'string') return;
    if (routingKey === TrackerEvents.OperationDeleted) this.deleted(operationId);
    else if (typeof version === 'number') this.changed(operationId, version, (body as { view?: OperationView }).view);
    // A change without a version cannot be ordered: the view held is not trusted any more.
    else this.forget(operationId);
  }
}
