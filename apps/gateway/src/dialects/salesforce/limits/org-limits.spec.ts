import { TokenBuckets } from '../../../core/rate-limit/token-bucket';
import { orgLimits } from './org-limits';

describe('orgLimits', () => {
  const rate = { limit: 1000, windowMs: 10_000 };

  it('reports a fresh client its whole bucket and a day of refill', () => {
    expect(orgLimits(rate, 1000)).toEqual({
      DailyApiRequests: { Max: 1000 + 8_640_000, Remaining: 1000 + 8_640_000 },
      ApiRequestBurst: { Max: 1000, Remaining: 1000, WindowSeconds: 10 },
    });
  });

  it('counts what the bucket has spent and never goes below zero', () => {
    let now = 0;
    const buckets = new TokenBuckets(() => now);
    const small = { limit: 3, windowMs: 60_000 };
    buckets.take('client:a', small);
    buckets.take('client:a', small);
    const limits = orgLimits(small, buckets.tokensLeft('client:a', small));
    expect(limits.ApiRequestBurst.Remaining).toBe(1);
    expect(limits.DailyApiRequests).toEqual({ Max: 3 + 1440 * 3, Remaining: 3 + 1440 * 3 - 2 });
    now += 20_000;
    // One request refilled in a third of the window.
    expect(orgLimits(small, buckets.tokensLeft('client:a', small)).ApiRequestBurst.Remaining).toBe(2);
    expect(orgLimits(small, -5).ApiRequestBurst.Remaining).toBe(0);
  });

  it('tokensLeft does not take from the bucket and a bucket never seen is full', () => {
    const buckets = new TokenBuckets(() => 0);
    expect(buckets.tokensLeft('client:new', rate)).toBe(1000);
    buckets.take('client:b', rate);
    expect(buckets.tokensLeft('client:b', rate)).toBe(999);
    expect(buckets.tokensLeft('client:b', rate)).toBe(999);
  });
});
