import { GatewayConfig } from '../../config';
import { parseRate, parseRateLimitSettings, RateLimitEnv } from './rate-limit-config';
import { RateLimitExceededError } from './rate-limit-errors';

const env = (patch: Partial<RateLimitEnv> = {}): RateLimitEnv => ({
  RATE_LIMIT_DEFAULT: '100/10s',
  RATE_LIMIT_OVERRIDES: '',
  RATE_LIMIT_TOKEN_ENDPOINT: '60/10s',
  RATE_LIMIT_REPLICAS: 1,
  ...patch,
});

describe('parseRate', () => {
  it.each([
    ['100/10s', { limit: 100, windowMs: 10_000 }],
    ['5/s', { limit: 5, windowMs: 1000 }],
    [' 1000 / 1m ', { limit: 1000, windowMs: 60_000 }],
    ['10/500ms', { limit: 10, windowMs: 500 }],
    ['1/24h', { limit: 1, windowMs: 86_400_000 }],
  ])('reads %j', (raw, rate) => {
    expect(parseRate(raw)).toEqual(rate);
  });

  it.each(['100', '100/10', '0/10s', '-1/10s', '10/0s', '10/25h', 'ten/10s', '10/10d', ''])('refuses %j with a reason', (raw) => {
    expect(typeof parseRate(raw)).toBe('string');
  });
});

describe('parseRateLimitSettings', () => {
  it('reads the default, the token endpoint rate and per-client overrides', () => {
    const { settings, problems } = parseRateLimitSettings(env({ RATE_LIMIT_OVERRIDES: '{"bulk-loader":"1000/10s"}' }));
    expect(problems).toEqual([]);
    expect(settings?.defaultRate).toEqual({ limit: 100, windowMs: 10_000 });
    expect(settings?.tokenEndpointRate).toEqual({ limit: 60, windowMs: 10_000 });
    expect(settings?.overrides.get('bulk-loader')).toEqual({ limit: 1000, windowMs: 10_000 });
  });

  it("divides every rate by the replica count, never below one request per window", () => {
    const { settings } = parseRateLimitSettings(env({ RATE_LIMIT_REPLICAS: 4, RATE_LIMIT_OVERRIDES: '{"tiny":"2/1s"}' }));
    expect(settings?.defaultRate.limit).toBe(25);
    expect(settings?.tokenEndpointRate.limit).toBe(15);
    expect(settings?.overrides.get('tiny')?.limit).toBe(1);
  });

  it('names every problem, so start-up fails with all of them at once', () => {
    const { settings, problems } = parseRateLimitSettings(env({ RATE_LIMIT_DEFAULT: 'lots', RATE_LIMIT_OVERRIDES: '{"a":"1/s","b":5,"c":"x"}' }));
    expect(settings).toBeUndefined();
    expect(problems).toEqual([
      expect.stringMatching(/^RATE_LIMIT_DEFAULT: "lots" is not/),
      expect.stringMatching(/^RATE_LIMIT_OVERRIDES: the rate of "b" must be a string/),
      expect.stringMatching(/^RATE_LIMIT_OVERRIDES\["c"\]: "x" is not/),
    ]);
    expect(parseRateLimitSettings(env({ RATE_LIMIT_OVERRIDES: '[1]' })).problems).toEqual([expect.stringMatching(/must be a JSON object/)]);
    expect(parseRateLimitSettings(env({ RATE_LIMIT_OVERRIDES: '{' })).problems).toEqual([expect.stringMatching(/must be a JSON object/)]);
  });

  it('is part of the gateway config validation', () => {
    const config = Object.assign(new GatewayConfig(), { RATE_LIMIT_DEFAULT: '100 per minute' });
    expect(config.validateTogether()).toEqual([expect.stringMatching(/^RATE_LIMIT_DEFAULT:/)]);
    expect(new GatewayConfig().validateTogether()).toEqual([]);
  });
});

describe('RateLimitExceededError', () => {
  it("is a 429 with Retry-After that every surface's filter can word", () => {
    const e = new RateLimitExceededError(100, 3);
    expect(e).toMatchObject({ status: 429, code: 'REQUEST_LIMIT_EXCEEDED', headers: { 'Retry-After': '3' } });
  });
});
