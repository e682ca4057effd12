import type { NextFunction, Request, Response } from 'express';
import { OAuthError } from '../errors/gateway-errors';
import { callerIpOf } from '../http/caller-ip';
import { DialectRegistry } from '../surfaces/dialect-registry';
import type { JsonLogger } from '@asyncops/platform';
import { AuthThrottle, CredentialBudgetExceededError, IpRateLimitExceededError } from './auth-throttle';
import { LruCache } from './lru-cache';

const refusedEarly = new WeakSet<Request>();

/**
 * Whether the gate refused this request: the access log leaves it out, so a flood cannot flood
 * the logs too; the gate writes one summary line per address and minute instead.
 */
export function wasRefusedBeforeAuth(req: Request): boolean {
  return refusedEarly.has(req);
}

const SUMMARY_EVERY_MS = 60_000;

/**
 * For a request answered before Express (the read edge's fast path): takes the address's token and
 * returns true when the gate would let the request through, else returns false having taken
 * nothing, so the request can go on to Express, whose gate then refuses it as it always does.
 * `needsSecretCheck`: the request carries X-App keys (never a token request: those are POSTs).
 */
export function admittedBeforeAuth(throttle: AuthThrottle, ip: string, needsSecretCheck: boolean): boolean {
  // The gate's own checks; the failure budget is looked at first because it takes nothing.
  if (needsSecretCheck && throttle.spentFor(ip) !== 0) return false;
  try {
    throttle.admitRequest(ip);
    return true;
  } catch (e) {
    if (e instanceof IpRateLimitExceededError) return false;
    throw e;
  }
}

/** Probes and the API description: public, polled by orchestrators, never limited. */
const UNLIMITED = /^\/(health\/|api\/docs|api\/openapi\.json)/;

/**
 * Runs before routing, body parsing and authentication. Every request (probes and docs aside)
 * first takes a token from its address's bucket (RATE_LIMIT_PER_IP), refused ones included. Then,
 * for an address that has spent its failed-credential budget, a request that would need a secret
 * checked (X-App-Id/X-App-Token, or a token request) is answered 429 with Retry-After before
 * anything is parsed or derived. Bearer requests pass: a token check costs one HMAC, and a
 * genuine client behind the same address keeps working.
 */
export function preAuthGate(throttle: AuthThrottle, logger?: JsonLogger, clock: () => number = Date.now, dialects: DialectRegistry = new DialectRegistry()) {
  const log = logger?.child('PreAuthGate');
  const summaries = new LruCache<string, { since: number; refused: number }>(10_000);
  const summarise = (ip: string, reason: string) => {
    const now = clock();
    const entry = summaries.get(ip);
    if (entry && now - entry.since < SUMMARY_EVERY_MS) {
      entry.refused++;
      return;
    }
    log?.warn({ msg: 'requests refused before authentication', event: 'pre-auth-refused', ip, reason, refusedSinceLastLine: entry?.refused ?? 0 });
    summaries.set(ip, { since: now, refused: 1 });
  };
  return function preAuthGate(req: Request, _res: Response, next: NextFunction): void {
    if (UNLIMITED.test(req.path)) return next();
    const ip = callerIpOf(req);
    const tokenRequest = req.method === 'POST' && dialects.isTokenPath(req.path);
    const appKeys = !req.headers.authorization && (req.headers['x-app-id'] !== undefined || req.headers['x-app-token'] !== undefined);
    let refusal: CredentialBudgetExceededError | IpRateLimitExceededError;
    try {
      throttle.admitRequest(ip);
      const wait = tokenRequest || appKeys ? throttle.spentFor(ip) : 0;
      if (wait === 0) return next();
      refusal = new CredentialBudgetExceededError(wait);
    } catch (e) {
      if (!(e instanceof IpRateLimitExceededError)) throw e;
      refusal = e;
    }
    refusedEarly.add(req);
    summarise(ip, refusal instanceof IpRateLimitExceededError ? 'address-rate' : 'credential-budget');
    // Nothing of the body is needed; drain it so the connection stays usable.
    req.resume();
    next(tokenRequest ? new OAuthError(429, 'temporarily_unavailable', refusal.message, refusal.headers) : refusal);
  };
}
