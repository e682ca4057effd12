import type { Rate } from '../../../core/rate-limit/rate-limit-config';

const DAY_MS = 86_400_000;

export interface LimitEntry {
  Max: number;
  Remaining: number;
}

/**
 * `GET /limits` from the client's own token bucket. Salesforce counts API requests per 24 hours;
 * the gateway's bucket refills continuously, so the daily figures are what the bucket allows over
 * the next 24 hours: a full bucket plus a day of refill, less what is currently spent.
 * `ApiRequestBurst` is the bucket itself (size, requests available now, refill window).
 */
export function orgLimits(rate: Rate, tokensNow: number): Record<string, LimitEntry & Record<string, number>> {
  const refillPerDay = Math.floor((rate.limit * DAY_MS) / rate.windowMs);
  const spent = Math.max(0, rate.limit - tokensNow);
  const dailyMax = rate.limit + refillPerDay;
  return {
    DailyApiRequests: { Max: dailyMax, Remaining: Math.max(0, Math.floor(dailyMax - spent)) },
    ApiRequestBurst: { Max: rate.limit, Remaining: Math.max(0, Math.floor(tokensNow)), WindowSeconds: rate.windowMs / 1000 },
  };
}
