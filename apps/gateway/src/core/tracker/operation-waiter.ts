import { Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { OperationView, TrackerEvents } from '@asyncops/contracts';
import { isTerminalStatus } from '@asyncops/domain';
import { AmqpConnection, BroadcastSubscriber } from '@asyncops/messaging';
import { ContextLogger, JsonLogger } from '@asyncops/platform';
import { GatewayConfig } from '../../config';
import { OperationViewCache } from './operation-view-cache';

export type WaitOutcome = 'changed' | 'timeout' | 'aborted' | 'closed';

/**
 * Bounds the memory long-polls can hold; beyond it a request answers at once with the current
 * state, which is still correct, only less patient.
 */
export const MAX_CONCURRENT_WAITS = 10_000;

/**
 * One waiting request. A wake-up that arrives while the request is busy reading is remembered,
 * so an event published between "read" and "wait" is never lost.
 */
export class WaitHandle {
  private pending?: 'changed' | 'closed';
  private wake?: (outcome: WaitOutcome) => void;
  private newest = 0;

  /** The newest version a wake-up announced: no answer after it may be older. */
  get heard(): number {
    return this.newest;
  }

  notify(outcome: 'changed' | 'closed', version?: number): void {
    if (typeof version === 'number' && version > this.newest) this.newest = version;
    if (this.wake) this.wake(outcome);
    else if (this.pending !== 'closed') this.pending = outcome;
  }

  wait(timeoutMs: number, signal?: AbortSignal): Promise<WaitOutcome> {
    if (this.pending) {
      const outcome = this.pending;
      if (outcome === 'changed') this.pending = undefined;
      return Promise.resolve(outcome);
    }
    if (signal?.aborted) return Promise.resolve('aborted');
    return new Promise<WaitOutcome>((resolve) => {
      const finish = (outcome: WaitOutcome) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.wake = undefined;
        if (outcome === 'closed') this.pending = 'closed';
        resolve(outcome);
      };
      const onAbort = () => finish('aborted');
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.wake = finish;
    });
  }
}

/**
 * Long-poll support for GET /operations/{id}?wait=N. One broadcast subscription per process hears
 * every tracker change; requests waiting on an operation are woken when it reaches a terminal
 * status and then re-read it, because a read, not the event, is the truth (events on the
 * non-durable broadcast queue can be missed while the broker reconnects). A terminal change
 * usually carries the record at its version; the cache then holds it, and the re-read is answered
 * from there without asking the tracker.
 *
 * Reads may be answered by the view cache, which has its own subscription: every change heard
 * here is passed to the cache before anyone is woken, so neither a woken request nor one that
 * starts after the change can be answered with a view the change has made out of date.
 */
@Injectable()
export class OperationWaiter implements OnModuleInit, OnModuleDestroy {
  private readonly waiting = new Map<string, Set<WaitHandle>>();
  private readonly log: ContextLogger;
  private subscriber?: BroadcastSubscriber;
  private count = 0;
  private closed = false;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly config: GatewayConfig,
    logger: JsonLogger,
    @Optional() private readonly views?: OperationViewCache,
  ) {
    this.log = logger.child('OperationWaiter');
  }

  async onModuleInit(): Promise<void> {
    this.subscriber = new BroadcastSubscriber(
      this.connection,
      [TrackerEvents.OperationChanged],
      (_routingKey, body) => this.onOperationChanged(body),
      this.log,
    );
    try {
      await this.subscriber.start();
    } catch (e) {
      // Not fatal: waits then last until their timeout, and the subscriber retries on reconnect.
      this.log.warn({ msg: 'operation change subscription failed; long-polls will wait until their timeout', error: (e as Error).message });
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const handles of this.waiting.values()) for (const h of handles) h.notify('closed');
    await this.subscriber?.stop();
  }

  get activeWaits(): number {
    return this.count;
  }

  /** The wait actually granted for a requested one: never negative, never above WAIT_MAX_SECONDS. */
  capSeconds(requested: number): number {
    if (!Number.isFinite(requested) || requested <= 0) return 0;
    return Math.min(Math.floor(requested), this.config.WAIT_MAX_SECONDS);
  }

  /** Called for every broadcast change; only terminal statuses are worth a wake-up. */
  onOperationChanged(body: unknown): void {
    if (!body || typeof body !== 'object') return;
    // The cache hears the same change on its own queue, possibly later: it must not serve a view
    // older than a change that already woke (or that a new request may not wait for).
    this.views?.onMessage(TrackerEvents.OperationChanged, body);
    const { operationId, status, version } = body as { operationId?: unknown; status?: unknown; version?: unknown };
    if (typeof operationId !== 'string' || !isTerminalStatus(status)) return;
    const handles = this.waiting.get(operationId.toLowerCase());
    if (handles) for (const h of handles) h.notify('changed', typeof version === 'number' ? version : undefined);
  }

  /**
   * Reads the operation and, while it is not terminal and time remains, waits for it to finish.
   * Always answers with a read made after the wait: after a wake-up, after the timeout, and on
   * shutdown. `read` is given the newest version a wake-up announced, and must not answer older.
   */
  async readWhenSettled(
    operationId: string,
    read: (atLeastVersion: number) => Promise<OperationView>,
    waitSeconds: number,
    signal?: AbortSignal,
  ): Promise<OperationView> {
    const waitMs = this.capSeconds(waitSeconds) * 1000;
    if (waitMs === 0 || this.closed || this.count >= MAX_CONCURRENT_WAITS) return read(0);

    const deadline = Date.now() + waitMs;
    // Registered before the first read, so a change between that read and the wait still wakes us.
    const handle = this.register(operationId);
    try {
      let view = await read(0);
      while (!isTerminalStatus(view.status)) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        const outcome = await handle.wait(remaining, signal);
        if (outcome === 'aborted') break;
        view = await read(handle.heard);
        if (outcome !== 'changed') break;
      }
      return view;
    } finally {
      this.unregister(operationId, handle);
    }
  }

  private register(operationId: string): WaitHandle {
    const key = operationId.toLowerCase();
    const handle = new WaitHandle();
    let handles = this.waiting.get(key);
    if (!handles) {
      handles = new Set();
      this.waiting.set(key, handles);
    }
    handles.add(handle);
    this.count++;
    return handle;
  }

  private unregister(operationId: string, handle: WaitHandle): void {
    const key = operationId.toLowerCase();
    const handles = this.waiting.get(key);
    if (!handles?.delete(handle)) return;
    this.count--;
    if (handles.size === 0) this.waiting.delete(key);
  }
}
