import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { Rate, RATE_LIMIT_SETTINGS, RateLimitSettings } from './rate-limit-config';
import { TakeResult, TokenBuckets } from './token-bucket';

export const RATE_LIMIT_LIMIT_HEADER = 'X-Rate-Limit-Limit';
export const RATE_LIMIT_REMAINING_HEADER = 'X-Rate-Limit-Remaining';

/**
 * An authenticated client's allowance: its own bucket at its own rate (an override, or the
 * default). Shared by the interceptor on routed requests and the read edge, so a request counts
 * once against the same bucket whichever of the two answers it.
 */
@Injectable()
export class ClientRateLimit {
  constructor(
    @Inject(RATE_LIMIT_SETTINGS) private readonly settings: RateLimitSettings,
    private readonly buckets: TokenBuckets,
  ) {}

  /** Takes one request from the client's bucket (nothing is taken from an empty one). */
  take(clientId: string): { rate: Rate; taken: TakeResult } {
    const rate = this.settings.overrides.get(clientId) ?? this.settings.defaultRate;
    return { rate, taken: this.buckets.take(`client:${clientId}`, rate) };
  }

  /** Whether `take` would allow a request now; takes nothing. */
  wouldAllow(clientId: string): boolean {
    const rate = this.settings.overrides.get(clientId) ?? this.settings.defaultRate;
    return this.buckets.peek(`client:${clientId}`, rate) === 0;
  }
}

/** What is left of the caller's allowance, on every limited answer. */
export function setRateLimitHeaders(res: Response, rate: Rate, taken: TakeResult): void {
  if (res.headersSent) return;
  res.setHeader(RATE_LIMIT_LIMIT_HEADER, String(rate.limit));
  res.setHeader(RATE_LIMIT_REMAINING_HEADER, String(taken.remaining));
}
