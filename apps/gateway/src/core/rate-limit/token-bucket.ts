import { Rate } from './rate-limit-config';

export interface TakeResult {
  allowed: boolean;
  /** Whole requests left in the bucket after this one. */
  remaining: number;
  /** Seconds until one request fits again; 0 when allowed. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  rate: Rate;
}

/** Buckets held before idle ones are dropped; a full bucket carries no state worth keeping. */
const SWEEP_ABOVE = 10_000;

/**
 * Token buckets by key (a client id, or a caller IP on the token endpoints): each holds up to
 * `limit` requests and refills at limit/window continuously, so a client can burst its whole
 * window and then proceeds at the steady rate. Every key has its own bucket, so one client's
 * burst never consumes another's allowance. In memory: counts are per gateway replica.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: () => number = Date.now) {}

  take(key: string, rate: Rate): TakeResult {
    const now = this.clock();
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.rate.limit !== rate.limit || bucket.rate.windowMs !== rate.windowMs) {
      if (this.buckets.size >= SWEEP_ABOVE) this.sweep(now);
      bucket = { tokens: rate.limit, updatedAt: now, rate };
      this.buckets.set(key, bucket);
    }
    const perMs = rate.limit / rate.windowMs;
    bucket.tokens = Math.min(rate.limit, bucket.tokens + Math.max(0, now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
  }

  /** Requests the bucket holds now (fractional), without taking one: what `/limits` reports. */
  tokensLeft(key: string, rate: Rate): number {
    const bucket = this.buckets.get(key);
    if (!bucket || bucket.rate.limit !== rate.limit || bucket.rate.windowMs !== rate.windowMs) return rate.limit;
    return Math.min(rate.limit, bucket.tokens + Math.max(0, this.clock() - bucket.updatedAt) * (rate.limit / rate.windowMs));
  }

  /** Seconds until the key's bucket holds a whole request again, without taking one; 0 when it does. */
  peek(key: string, rate: Rate): number {
    const bucket = this.buckets.get(key);
    if (!bucket || bucket.rate.limit !== rate.limit || bucket.rate.windowMs !== rate.windowMs) return 0;
    const perMs = rate.limit / rate.windowMs;
    const tokens = Math.min(rate.limit, bucket.tokens + Math.max(0, this.clock() - bucket.updatedAt) * perMs);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
  }

  /** Returns one request to the key's bucket (a reservation that turned out not to be needed). */
  give(key: string, rate: Rate): void {
    const bucket = this.buckets.get(key);
    if (bucket && bucket.rate.limit === rate.limit && bucket.rate.windowMs === rate.windowMs) {
      bucket.tokens = Math.min(rate.limit, bucket.tokens + 1);
    }
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drops buckets that have refilled completely: recreating one full gives the same answer. */
  private sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.updatedAt) * (b.rate.limit / b.rate.windowMs) >= b.rate.limit) this.buckets.delete(key);
    }
  }
}
