import { GatewayError } from '../errors/gateway-errors';
import { parseRate, Rate } from '../rate-limit/rate-limit-config';
import { TokenBuckets } from '../rate-limit/token-bucket';

/** The config fields this reads; structural, so config.ts can validate without an import cycle. */
export interface AuthThrottleEnv {
  RATE_LIMIT_PER_IP: string;
  AUTH_FAILURES_PER_IP: string;
  AUTH_FAILURES_PER_CLIENT: string;
}

export interface AuthThrottleSettings {
  /** Every request to a protected route, per caller IP, counted before any credential is looked at. */
  perIp: Rate;
  /** Credential checks that cost a key derivation and failed, per caller IP. */
  failuresPerIp: Rate;
  /** The same, per client id named in the attempt (a guessing run spread over many addresses). */
  failuresPerClient: Rate;
}

export function parseAuthThrottleSettings(env: AuthThrottleEnv): { settings?: AuthThrottleSettings; problems: string[] } {
  const problems: string[] = [];
  const read = (name: keyof AuthThrottleEnv): Rate | undefined => {
    const r = parseRate(env[name]);
    if (typeof r === 'string') {
      problems.push(`${name}: ${r}`);
      return undefined;
    }
    return r;
  };
  const perIp = read('RATE_LIMIT_PER_IP');
  const failuresPerIp = read('AUTH_FAILURES_PER_IP');
  const failuresPerClient = read('AUTH_FAILURES_PER_CLIENT');
  if (!perIp || !failuresPerIp || !failuresPerClient) return { problems };
  return { settings: { perIp, failuresPerIp, failuresPerClient }, problems };
}

/**
 * A caller (an address, or a client id) whose failed credential checks used up their budget. The
 * request is refused before any key is derived; each surface's filter words the 429 its own way.
 */
export class CredentialBudgetExceededError extends GatewayError {
  constructor(readonly retryAfterSeconds: number) {
    super({
      code: 'REQUEST_LIMIT_EXCEEDED',
      status: 429,
      title: 'Too many requests',
      detail: `Too many failed authentication attempts; retry after ${retryAfterSeconds} seconds.`,
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

/** Too many requests from one address, counted before authentication. */
export class IpRateLimitExceededError extends GatewayError {
  constructor(limit: number, retryAfterSeconds: number) {
    super({
      code: 'REQUEST_LIMIT_EXCEEDED',
      status: 429,
      title: 'Too many requests',
      detail: `More than ${limit} requests from this address; retry after ${retryAfterSeconds} seconds.`,
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

/** Settles one admitted credential check: `true` gives the reserved failure back. */
export type SettleCheck = (succeeded: boolean) => void;

/**
 * What unauthenticated callers may cost. A secret check is a scrypt derivation (tens of
 * milliseconds of the libuv pool); without a budget, a flood of wrong pairs queues every genuine
 * client behind it. So:
 *  - every request to a protected route first takes a token from its address's bucket;
 *  - every check that needs a derivation reserves one failure from the address's budget and from
 *    the named client id's budget *before* deriving, and gets it back when the secret was right.
 *    Reserving first means a burst of concurrent attempts cannot overrun the budget while the
 *    derivations are in flight. An empty budget is a 429 with Retry-After and no derivation.
 * Counts are per gateway replica, in memory; idle buckets are swept (see TokenBuckets).
 */
export class AuthThrottle {
  private readonly requests: TokenBuckets;
  private readonly failures: TokenBuckets;

  constructor(
    readonly settings: AuthThrottleSettings,
    clock: () => number = Date.now,
  ) {
    this.requests = new TokenBuckets(clock);
    this.failures = new TokenBuckets(clock);
  }

  /** Counts a request from `ip` before authentication; throws when the address is over its rate. */
  admitRequest(ip: string): void {
    const taken = this.requests.take(`ip:${ip}`, this.settings.perIp);
    if (!taken.allowed) throw new IpRateLimitExceededError(this.settings.perIp.limit, taken.retryAfterSeconds);
  }

  /** Seconds until `ip` may attempt a credential check again; 0 while its failure budget lasts. Takes nothing. */
  spentFor(ip: string): number {
    return this.failures.peek(`ip:${ip}`, this.settings.failuresPerIp);
  }

  /**
   * Reserves one possible failure for a derivation about to happen; throws (deriving nothing)
   * when the address or the client id has none left.
   */
  admitCheck(ip: string, clientId: string): SettleCheck {
    const ipKey = `ip:${ip}`;
    const clientKey = `client:${clientId}`;
    const byIp = this.failures.take(ipKey, this.settings.failuresPerIp);
    if (!byIp.allowed) throw new CredentialBudgetExceededError(byIp.retryAfterSeconds);
    const byClient = this.failures.take(clientKey, this.settings.failuresPerClient);
    if (!byClient.allowed) {
      this.failures.give(ipKey, this.settings.failuresPerIp);
      throw new CredentialBudgetExceededError(byClient.retryAfterSeconds);
    }
    let settled = false;
    return (succeeded) => {
      if (settled) return;
      settled = true;
      if (!succeeded) return;
      this.failures.give(ipKey, this.settings.failuresPerIp);
      this.failures.give(clientKey, this.settings.failuresPerClient);
    };
  }
}
