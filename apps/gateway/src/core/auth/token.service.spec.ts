import { createHmac } from 'node:crypto';
import { TokenRejectedError, TokenService } from './token.service';

const SECRET = 'x'.repeat(32);

describe('TokenService', () => {
  let now: number;
  const clock = () => now;

  beforeEach(() => {
    now = Date.UTC(2030, 0, 1, 12, 0, 0);
  });

  function reason(fn: () => unknown): string {
    try {
      fn();
    } catch (e) {
      if (e instanceof TokenRejectedError) return e.reason;
      throw e;
    }
    throw new Error('expected the token to be rejected');
  }

  it('issues a three-part HS256 token whose claims verify', () => {
    const tokens = new TokenService(SECRET, 600, clock);
    const issued = tokens.issue('shop');
    const [header] = issued.accessToken.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(issued.expiresIn).toBe(600);
    expect(issued.issuedAtMs).toBe(now);
    const claims = tokens.verify(issued.accessToken);
    expect(claims).toEqual({ sub: 'shop', iat: now / 1000, exp: now / 1000 + 600, jti: issued.claims.jti });
  });

  it('gives every token its own jti', () => {
    const tokens = new TokenService(SECRET, 600, clock);
    expect(tokens.issue('a').claims.jti).not.toBe(tokens.issue('a').claims.jti);
  });

  it('rejects an expired token', () => {
    const tokens = new TokenService(SECRET, 60, clock);
    const { accessToken } = tokens.issue('shop');
    now += 59_000;
    expect(tokens.verify(accessToken).sub).toBe('shop');
    now += 1_000;
    expect(reason(() => tokens.verify(accessToken))).toBe('token has expired');
  });

  it('checks the signature of a token once, and its expiry on every use', () => {
    const tokens = new TokenService(SECRET, 60, clock);
    const { accessToken } = tokens.issue('shop');
    const sign = jest.spyOn(tokens as unknown as { sign(data: string): string }, 'sign');
    expect(tokens.verify(accessToken).sub).toBe('shop');
    expect(tokens.verify(accessToken).sub).toBe('shop');
    expect(sign).toHaveBeenCalledTimes(1);
    // One character changed is another token: checked in full, and refused.
    const tampered = `${accessToken.slice(0, -1)}${accessToken.endsWith('A') ? 'B' : 'A'}`;
    expect(reason(() => tokens.verify(tampered))).toBe('token signature is invalid');
    expect(reason(() => tokens.verify(tampered))).toBe('token signature is invalid');
    expect(sign).toHaveBeenCalledTimes(3);
    now += 60_000;
    expect(reason(() => tokens.verify(accessToken))).toBe('token has expired');
  });

  it('rejects a token whose payload was changed', () => {
    const tokens = new TokenService(SECRET, 600, clock);
    const [h, , s] = tokens.issue('shop').accessToken.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', iat: now / 1000, exp: now / 1000 + 600, jti: 'j' })).toString('base64url');
    expect(reason(() => tokens.verify(`${h}.${forged}.${s}`))).toBe('token signature is invalid');
  });

  it('rejects a token signed with another key', () => {
    const other = new TokenService('y'.repeat(32), 600, clock).issue('shop').accessToken;
    expect(reason(() => new TokenService(SECRET, 600, clock).verify(other))).toBe('token signature is invalid');
  });

  it('rejects alg=none and any other header', () => {
    const tokens = new TokenService(SECRET, 600, clock);
    const [, p] = tokens.issue('shop').accessToken.split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(reason(() => tokens.verify(`${none}.${p}.sig`))).toBe('token header is not supported');
  });

  it('rejects malformed tokens', () => {
    const tokens = new TokenService(SECRET, 600, clock);
    expect(reason(() => tokens.verify('abc'))).toBe('token is malformed');
    expect(reason(() => tokens.verify('a.b.c.d'))).toBe('token is malformed');
    expect(reason(() => tokens.verify('a.b!.c'))).toBe('token is malformed');
    expect(reason(() => tokens.verify('a'.repeat(5000)))).toBe('token is too long');
  });

  it('rejects a correctly signed token with unusable claims', () => {
    const tokens = new TokenService(SECRET, 600, clock);
    const sign = (payload: unknown) => {
      const [h] = tokens.issue('x').accessToken.split('.');
      const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${h}.${p}.${createHmac('sha256', SECRET).update(`${h}.${p}`).digest('base64url')}`;
    };
    expect(reason(() => tokens.verify(sign({ sub: 'x', iat: 'soon', exp: 1, jti: 'j' })))).toBe('token payload is malformed');
    expect(reason(() => tokens.verify(sign({ sub: 'x', iat: now / 1000 + 3600, exp: now / 1000 + 7200, jti: 'j' })))).toBe(
      'token is not valid yet',
    );
  });

  it('refuses a signing key shorter than 32 bytes', () => {
    expect(() => new TokenService('short', 600)).toThrow(/at least 32 bytes/);
    expect(TokenService.randomKey().length).toBeGreaterThanOrEqual(32);
  });
});
