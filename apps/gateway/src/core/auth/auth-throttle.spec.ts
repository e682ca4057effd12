import { GatewayConfig } from '../../config';
import { AuthThrottle, CredentialBudgetExceededError, IpRateLimitExceededError, parseAuthThrottleSettings } from './auth-throttle';

const settings = {
  perIp: { limit: 3, windowMs: 60_000 },
  failuresPerIp: { limit: 2, windowMs: 60_000 },
  failuresPerClient: { limit: 3, windowMs: 60_000 },
};

describe('AuthThrottle', () => {
  let now: number;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('counts every request per address before authentication', () => {
    const t = new AuthThrottle(settings, () => now);
    for (let i = 0; i < 3; i++) t.admitRequest('10.0.0.1');
    expect(() => t.admitRequest('10.0.0.1')).toThrow(IpRateLimitExceededError);
    expect(() => t.admitRequest('10.0.0.2')).not.toThrow();
  });

  it('reserves a failure before each derivation and refuses with Retry-After once the address has none', () => {
    const t = new AuthThrottle(settings, () => now);
    t.admitCheck('10.0.0.1', 'a')(false);
    t.admitCheck('10.0.0.1', 'b')(false);
    let refusal: unknown;
    try {
      t.admitCheck('10.0.0.1', 'c');
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(CredentialBudgetExceededError);
    expect((refusal as CredentialBudgetExceededError).headers['Retry-After']).toBe('30');
    // Another address is not affected; the budget comes back over time.
    expect(() => t.admitCheck('10.0.0.2', 'c')).not.toThrow();
    now += 30_000;
    expect(() => t.admitCheck('10.0.0.1', 'c')).not.toThrow();
  });

  it('gives the reservation back when the secret was right', () => {
    const t = new AuthThrottle(settings, () => now);
    for (let i = 0; i < 10; i++) t.admitCheck('10.0.0.1', 'shop')(true);
    expect(() => t.admitCheck('10.0.0.1', 'shop')).not.toThrow();
  });

  it('limits failures per client id across addresses, without charging the address for the refusal', () => {
    const t = new AuthThrottle(settings, () => now);
    ['10.0.0.1', '10.0.0.2', '10.0.0.3'].forEach((ip) => t.admitCheck(ip, 'victim')(false));
    expect(() => t.admitCheck('10.0.0.4', 'victim')).toThrow(CredentialBudgetExceededError);
    t.admitCheck('10.0.0.4', 'other')(false);
    t.admitCheck('10.0.0.4', 'other2')(false);
    expect(() => t.admitCheck('10.0.0.4', 'other3')).toThrow(CredentialBudgetExceededError);
  });

  it('concurrent reservations cannot overrun the budget', () => {
    const t = new AuthThrottle(settings, () => now);
    const admitted = Array.from({ length: 50 }, (_, i) => {
      try {
        return t.admitCheck('10.0.0.9', `id-${i}`);
      } catch {
        return undefined;
      }
    }).filter(Boolean);
    expect(admitted).toHaveLength(2);
  });

  it('is refused as a 429 with Retry-After, a typed error every dialect can word', () => {
    expect(new CredentialBudgetExceededError(7)).toMatchObject({ status: 429, code: 'REQUEST_LIMIT_EXCEEDED', headers: { 'Retry-After': '7' } });
  });
});

describe('parseAuthThrottleSettings', () => {
  it('reads the defaults of the config class', () => {
    const { settings, problems } = parseAuthThrottleSettings(new GatewayConfig());
    expect(problems).toEqual([]);
    expect(settings?.failuresPerIp).toEqual({ limit: 20, windowMs: 60_000 });
  });

  it('names each bad setting', () => {
    const { problems } = parseAuthThrottleSettings({ RATE_LIMIT_PER_IP: 'x', AUTH_FAILURES_PER_IP: '1/s', AUTH_FAILURES_PER_CLIENT: '0/1m' });
    expect(problems).toEqual([expect.stringMatching(/^RATE_LIMIT_PER_IP:/), expect.stringMatching(/^AUTH_FAILURES_PER_CLIENT:/)]);
  });
});

describe('AuthThrottle.spentFor', () => {
  it('tells how long an address must wait once its budget is spent, without spending anything', () => {
    let now = 0;
    const t = new AuthThrottle(settings, () => now);
    expect(t.spentFor('10.0.0.1')).toBe(0);
    t.admitCheck('10.0.0.1', 'a')(false);
    expect(t.spentFor('10.0.0.1')).toBe(0);
    t.admitCheck('10.0.0.1', 'b')(false);
    expect(t.spentFor('10.0.0.1')).toBe(30);
    expect(t.spentFor('10.0.0.1')).toBe(30);
    now += 30_000;
    expect(t.spentFor('10.0.0.1')).toBe(0);
  });
});
