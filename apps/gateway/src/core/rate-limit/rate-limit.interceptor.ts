import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { clientIdOf } from '../http/request-context';
import { DialectRegistry } from '../surfaces/dialect-registry';
import { RATE_LIMIT_SETTINGS, RateLimitSettings } from './rate-limit-config';
import { RateLimitExceededError, TokenRequestRateLimitedError } from './rate-limit-errors';
import { TokenBuckets } from './token-bucket';

export const RATE_LIMIT_LIMIT_HEADER = 'X-Rate-Limit-Limit';
export const RATE_LIMIT_REMAINING_HEADER = 'X-Rate-Limit-Remaining';

/**
 * Applied to every route. It runs after the auth guard, so authenticated requests are counted
 * against their client; the token endpoints, which have no client yet, against the caller's IP.
 * Other public routes (health, API docs) are not limited: orchestrators probe them.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(
    @Inject(RATE_LIMIT_SETTINGS) private readonly settings: RateLimitSettings,
    private readonly buckets: TokenBuckets,
    private readonly dialects: DialectRegistry,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const clientId = clientIdOf(req);
    let key: string;
    let rate = this.settings.defaultRate;
    const tokenRequest = !clientId && this.dialects.isTokenPath(req.path);
    if (clientId) {
      key = `client:${clientId}`;
      rate = this.settings.overrides.get(clientId) ?? rate;
    } else if (tokenRequest) {
      key = `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
      rate = this.settings.tokenEndpointRate;
    } else {
      return next.handle();
    }
    const taken = this.buckets.take(key, rate);
    if (!res.headersSent) {
      res.setHeader(RATE_LIMIT_LIMIT_HEADER, String(rate.limit));
      res.setHeader(RATE_LIMIT_REMAINING_HEADER, String(taken.remaining));
    }
    if (!taken.allowed) {
      throw tokenRequest ? new TokenRequestRateLimitedError(rate.limit, taken.retryAfterSeconds) : new RateLimitExceededError(rate.limit, taken.retryAfterSeconds);
    }
    return next.handle();
  }
}
