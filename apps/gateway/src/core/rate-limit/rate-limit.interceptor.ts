import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { clientIdOf } from '../http/request-context';
import { DialectRegistry } from '../surfaces/dialect-registry';
import { ClientRateLimit, setRateLimitHeaders } from './client-rate-limit';
import { RATE_LIMIT_SETTINGS, RateLimitSettings } from './rate-limit-config';
import { RateLimitExceededError, TokenRequestRateLimitedError } from './rate-limit-errors';
import { TokenBuckets } from './token-bucket';

export { RATE_LIMIT_LIMIT_HEADER, RATE_LIMIT_REMAINING_HEADER } from './client-rate-limit';

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
    private readonly clients: ClientRateLimit,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const clientId = clientIdOf(req);
    if (clientId) {
      const { rate, taken } = this.clients.take(clientId);
      setRateLimitHeaders(res, rate, taken);
      if (!taken.allowed) throw new RateLimitExceededError(rate.limit, taken.retryAfterSeconds);
      return next.handle();
    }
    if (!this.dialects.isTokenPath(req.path)) return next.handle();
    const rate = this.settings.tokenEndpointRate;
    const taken = this.buckets.take(`ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`, rate);
    setRateLimitHeaders(res, rate, taken);
    if (!taken.allowed) throw new TokenRequestRateLimitedError(rate.limit, taken.retryAfterSeconds);
    return next.handle();
  }
}
