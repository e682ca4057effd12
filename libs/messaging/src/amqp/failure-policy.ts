import { PermanentMessageError } from './errors';

/**
 * How a handler's failure is treated:
 * - `transient`: the infrastructure failed, not the message (connection lost, backend terminated,
 *   pool or connect timeout, serialization failure, deadlock, closed channel). Retried in place with
 *   backoff for as long as it takes; never counts toward the delivery limit.
 * - `permanent`: the message can never succeed (invalid payload, domain rule): dead-lettered at once.
 * - `unknown`: anything else; redelivered, and dead-lettered after the delivery limit.
 */
export type FailureKind = 'transient' | 'permanent' | 'unknown';

/**
 * SQLSTATE codes PostgreSQL uses when the server, not the statement, is at fault:
 * connection exceptions (08…), serialization failure and deadlock, too many connections,
 * out of memory/disk, and operator intervention (terminated backend, crash, shutting down, starting up).
 */
const TRANSIENT_SQLSTATES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08007',
  '08P01',
  '40001',
  '40P01',
  '53000',
  '53100',
  '53200',
  '53300',
  '57P01',
  '57P02',
  '57P03',
  '57P05',
  '58000',
  '58030',
]);

/** Socket-level errors of the database or broker connection. */
const TRANSIENT_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTCONN']);

/**
 * Messages of node-postgres, pg-pool, TypeORM and amqplib for a lost or unavailable connection;
 * these errors carry no code.
 */
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /client has encountered a connection error and is not queryable/i,
  /cannot use a pool after calling end/i,
  /terminating connection due to/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /server closed the connection unexpectedly/i,
  /connection (is )?(closed|ended)/i,
  /channel (closed|ended)/i,
  /broker not connected/i,
  /publish failed after/i,
  /publish not confirmed/i,
  /query read timeout/i,
  // TypeORM, after the connection of a transaction's query runner failed and was released.
  /query runner already released/i,
  /connection provided by a query runner was already released/i,
];

function* causes(e: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  let current: unknown = e;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    yield current as Record<string, unknown>;
    const c = current as { driverError?: unknown; cause?: unknown };
    current = c.driverError ?? c.cause;
  }
}

/** Classifies a handler's failure; walks TypeORM's `driverError` and `cause` chains. */
export function classifyFailure(e: unknown): FailureKind {
  if (e instanceof PermanentMessageError) return 'permanent';
  for (const err of causes(e)) {
    const code = typeof err.code === 'string' ? err.code : undefined;
    if (code && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_ERRNOS.has(code))) return 'transient';
    const message = typeof err.message === 'string' ? err.message : '';
    if (TRANSIENT_MESSAGES.some((re) => re.test(message))) return 'transient';
  }
  return 'unknown';
}

export interface BackoffPolicy {
  /** Delay before the first retry. */
  baseMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 100, maxMs: 5_000 };

/**
 * Capped exponential backoff with "equal jitter": the n-th retry (1-based) waits between half and
 * all of min(maxMs, baseMs × 2^(n-1)), so replicas that failed together do not retry together.
 */
export function backoffDelay(retry: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(retry));
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n - 1, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
