import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, register, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics: prom-client's default registry, labelled with the service
 * name, plus the product's own series. Libraries record through the small functions below, so
 * a hook in the code they observe is one line and nothing else needs to know about prom-client.
 */
export const metricsRegistry: Registry = register;

let initialisedFor: string | undefined;

/** Labels every series with the service and starts Node's default collectors (event-loop lag, heap, GC). Idempotent. */
export function initMetrics(service: string): void {
  if (initialisedFor) return;
  initialisedFor = service;
  register.setDefaultLabels({ service });
  collectDefaultMetrics({ register, eventLoopMonitoringPrecision: 20 });
}

const SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const SIZES = [1, 5, 10, 25, 50, 100, 200, 500, 1000, 2500, 5000];

/** A counter of the product's own, by the given labels. */
function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return new Counter({ name, help, labelNames });
}

/** A histogram of the product's own, by the given labels, into the given buckets. */
function histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
  return new Histogram({ name, help, labelNames, buckets });
}

export const httpRequestDuration = histogram('asyncops_http_request_duration_seconds', 'HTTP requests by method, route template and status code', ['method', 'route', 'status'], SECONDS);
export const messagesConsumed = counter('asyncops_messages_consumed_total', 'Messages taken from a queue, by queue and outcome (acked, retried, dead-lettered, dropped)', ['queue', 'outcome']);
export const messagesRedelivered = counter('asyncops_messages_redelivered_total', 'Deliveries that were not the first attempt of their message, by queue', ['queue']);
export const messagesDeadLettered = counter('asyncops_messages_dead_lettered_total', 'Messages given up and published to the dead-letter exchange, by queue', ['queue']);
export const messagesPublished = counter('asyncops_messages_published_total', 'Messages confirmed by the broker, by exchange role (events, commands, dead-letter)', ['exchange']);
export const messageHandlerDuration = histogram('asyncops_message_handler_duration_seconds', 'Time a consumer spent on one message (handler and its transaction), by queue and outcome', ['queue', 'outcome'], SECONDS);
export const soqlCacheLookups = counter('asyncops_soql_cache_total', "SOQL first pages the gateway could keep, by outcome: hit (answered from memory), changed (the owner's records changed since), miss (none kept), unchecked (the check failed: read afresh, nothing kept)", ['outcome']);
export const outboxRelayBatchSize = histogram('asyncops_outbox_relay_batch_size', 'Outbox rows published per relay batch', ['schema'], SIZES);
export const operationItems = counter('asyncops_operation_items_total', 'Items (import rows, cart items, ...) this producer reported done, counted when the progress event left the outbox, by outcome', ['outcome']);
export const operationBatchItems = histogram('asyncops_operation_batch_items', 'Items per reported batch (one operation.items-progressed event)', [], SIZES);
export const metricSourceErrors = counter('asyncops_metric_source_errors_total', 'Scrape-time reads that failed (e.g. the database was away), by gauge; their series are left out of that scrape', ['metric']);

/** A gauge whose value is read from any number of sources when Prometheus scrapes. */
function sourcedGauge<L extends string>(name: string, help: string, labelNames: readonly L[]) {
  const sources = new Set<() => Promise<Array<{ labels: Partial<Record<L, string>>; value: number }>>>();
  const gauge = new Gauge({
    name,
    help,
    labelNames,
    async collect() {
      this.reset();
      for (const read of sources) {
        try {
          for (const { labels, value } of await read()) this.set(labels as never, value);
        } catch {
          // A source that cannot answer (database away) leaves its series out of this scrape.
          metricSourceErrors.inc({ metric: name });
        }
      }
    },
  });
  return {
    gauge,
    /** Adds a source; returns the function that removes it. */
    add(read: () => Promise<Array<{ labels: Partial<Record<L, string>>; value: number }>>): () => void {
      sources.add(read);
      return () => sources.delete(read);
    },
  };
}

export const outboxDepth = sourcedGauge('asyncops_outbox_depth', 'Committed outbox rows not yet published (counted up to 100,000)', ['schema']);
export const outboxLag = sourcedGauge('asyncops_outbox_lag_seconds', 'Age of the oldest unpublished outbox row (0 when empty)', ['schema']);
export const operationsByStatus = sourcedGauge('asyncops_operations', 'Tracked operations by status and job type', ['status', 'job_type']);
export const dbPoolConnections = sourcedGauge('asyncops_db_pool_connections', 'Database pool connections by state (total, idle, waiting clients, max)', ['pool', 'state']);

/** The counters a pg Pool exposes. */
export interface PoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/** Reports a pg pool's usage; `pool` is read at scrape time (it may not exist before initialisation). */
export function observeDbPool(name: string, pool: () => PoolLike | undefined): () => void {
  return dbPoolConnections.add(async () => {
    const p = pool();
    if (!p) return [];
    const rows = [
      { labels: { pool: name, state: 'total' }, value: p.totalCount },
      { labels: { pool: name, state: 'idle' }, value: p.idleCount },
      { labels: { pool: name, state: 'waiting' }, value: p.waitingCount },
    ];
    if (p.options?.max) rows.push({ labels: { pool: name, state: 'max' }, value: p.options.max });
    return rows;
  });
}

/** Caches an expensive read for `ttlMs`, so frequent scrapes cost one query per period. */
export function cached<T>(ttlMs: number, read: () => Promise<T>): () => Promise<T> {
  let value: { at: number; v: Promise<T> } | undefined;
  return () => {
    if (!value || Date.now() - value.at > ttlMs) {
      const v = read();
      value = { at: Date.now(), v };
      v.catch(() => (value = undefined));
    }
    return value.v;
  };
}

/** Counts the items of a committed `operation.items-progressed` payload. */
export function recordItemsProgressed(payload: unknown): void {
  const p = payload as { succeeded?: unknown; failed?: unknown } | null;
  const succeeded = typeof p?.succeeded === 'number' ? p.succeeded : 0;
  const failed = typeof p?.failed === 'number' ? p.failed : 0;
  if (succeeded) operationItems.inc({ outcome: 'succeeded' }, succeeded);
  if (failed) operationItems.inc({ outcome: 'failed' }, failed);
  if (succeeded + failed) operationBatchItems.observe(succeeded + failed);
}

/** Starts timing one consumed message; call the result with its outcome. */
export function startMessageTimer(queue: string, attempt: number): (outcome: 'acked' | 'retried' | 'dead-lettered' | 'dropped') => void {
  if (attempt > 1) messagesRedelivered.inc({ queue });
  const end = messageHandlerDuration.startTimer({ queue });
  return (outcome) => {
    end({ outcome });
    messagesConsumed.inc({ queue, outcome });
    if (outcome === 'dead-lettered') messagesDeadLettered.inc({ queue });
  };
}

interface RoutedRequest extends IncomingMessage {
  route?: { path?: unknown };
  baseUrl?: string;
}

/** The Express setting that says the app times its requests (`useHttpMetrics`), for code answering before Express. */
export const HTTP_METRICS_SETTING = 'asyncops http metrics';

/**
 * Records one answered request: `started` is `process.hrtime.bigint()` when it arrived, `route`
 * its template (`unmatched` when no route matched). The one way a request is timed, so answers
 * written before Express count exactly like routed ones.
 */
export function observeHttpRequest(method: string, route: string, status: number, started: bigint): void {
  httpRequestDuration.observe({ method, route, status: String(status) }, Number(process.hrtime.bigint() - started) / 1e9);
}

/**
 * Express middleware timing every request. The route label is the matched template
 * (`/api/v1/operations/:id`), never the raw URL, so ids do not explode the series count;
 * requests no route matched are labelled `unmatched`.
 */
export function httpMetricsMiddleware(req: RoutedRequest, res: ServerResponse, next: () => void): void {
  const started = process.hrtime.bigint();
  res.once('finish', () => {
    const template = typeof req.route?.path === 'string' ? `${req.baseUrl ?? ''}${req.route.path}` : undefined;
    observeHttpRequest(req.method ?? 'GET', template ?? 'unmatched', res.statusCode, started);
  });
  next();
}

/**
 * Times every request of the app and serves `GET /metrics` on its HTTP adapter, outside Nest's
 * routing (like health, it needs no token); marks the app (HTTP_METRICS_SETTING) so handlers that
 * answer before Express time their answers too.
 */
export function useHttpMetrics(app: { use(fn: unknown): unknown; getHttpAdapter(): { get(path: string, fn: unknown): unknown; getInstance(): unknown } }): void {
  app.use(httpMetricsMiddleware);
  const adapter = app.getHttpAdapter();
  adapter.get('/metrics', metricsHandler);
  (adapter.getInstance() as { set?(name: string, value: unknown): void }).set?.(HTTP_METRICS_SETTING, true);
}

/** The handler of `GET /metrics` (Prometheus text format). */
export async function metricsHandler(_req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const body = await register.metrics();
    res.statusCode = 200;
    res.setHeader('content-type', register.contentType);
    res.end(body);
  } catch (e) {
    res.statusCode = 500;
    res.setHeader('content-type', 'text/plain');
    res.end(`metrics unavailable: ${(e as Error).message}`);
  }
}

export const operationIdleSeconds = sourcedGauge(
  'asyncops_operation_oldest_idle_seconds',
  'Seconds since the least recently updated unfinished operation last changed, by status and job type (a stuck operation keeps growing)',
  ['status', 'job_type'],
);

export const queueMessages = sourcedGauge('asyncops_queue_messages', 'Messages ready in a queue (read from the broker at scrape, at most every 5 s)', ['queue']);
