import { TokenBuckets } from './token-bucket';

describe('TokenBuckets', () => {
  let now = 1_000_000;
  const clock = () => now;
  const rate = { limit: 5, windowMs: 10_000 };

  beforeEach(() => {
    now = 1_000_000;
  });

  it('allows a burst of the whole limit, counting down the remaining requests, then refuses', () => {
    const b = new TokenBuckets(clock);
    expect([1, 2, 3, 4, 5].map(() => b.take('a', rate).remaining)).toEqual([4, 3, 2, 1, 0]);
    expect(b.take('a', rate)).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 2 });
  });

  it('refills continuously at limit/window and never above the limit', () => {
    const b = new TokenBuckets(clock);
    for (let i = 0; i < 5; i++) b.take('a', rate);
    now += 1999;
    expect(b.take('a', rate).allowed).toBe(false);
    now += 1;
    // 2 s at 0.5 requests/s: exactly the one request, whose refusal above did not cost anything.
    expect(b.take('a', rate)).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    now += 3_600_000;
    expect(b.take('a', rate).remaining).toBe(4);
  });

  it('rounds Retry-After up to whole seconds, at least one', () => {
    const b = new TokenBuckets(clock);
    const fast = { limit: 100, windowMs: 1000 };
    for (let i = 0; i < 100; i++) b.take('f', fast);
    expect(b.take('f', fast).retryAfterSeconds).toBe(1);
    const slow = { limit: 1, windowMs: 60_000 };
    b.take('s', slow);
    now += 30_500;
    expect(b.take('s', slow).retryAfterSeconds).toBe(30);
  });

  it("keeps each key's bucket apart: one client's burst leaves another's allowance whole", () => {
    const b = new TokenBuckets(clock);
    for (let i = 0; i < 20; i++) b.take('greedy', rate);
    expect(b.take('greedy', rate).allowed).toBe(false);
    expect(b.take('polite', rate)).toEqual({ allowed: true, remaining: 4, retryAfterSeconds: 0 });
  });

  it('starts a full bucket when the configured rate of a key changes', () => {
    const b = new TokenBuckets(clock);
    for (let i = 0; i < 5; i++) b.take('a', rate);
    expect(b.take('a', { limit: 50, windowMs: 10_000 }).remaining).toBe(49);
  });

  it('forgets idle full buckets once it holds many, so caller IPs cannot grow it without bound', () => {
    const b = new TokenBuckets(clock);
    for (let i = 0; i < 10_000; i++) b.take(`ip:${i}`, rate);
    now += 10_000;
    b.take('ip:new', rate);
    expect(b.size).toBe(1);
  });
});
