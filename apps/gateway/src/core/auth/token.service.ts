import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { LruCache } from './lru-cache';

export interface AccessTokenClaims {
  /** The client id, which is also the owner of everything the client creates. */
  sub: string;
  iat: number;
  exp: number;
  jti: string;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  /** Milliseconds since the epoch, as Salesforce reports `issued_at`. */
  issuedAtMs: number;
  claims: AccessTokenClaims;
}

/** Why a token was refused; the text goes into the WWW-Authenticate error_description. */
export class TokenRejectedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TokenRejectedError';
  }
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const MAX_TOKEN_LENGTH = 4096;
const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** Tolerates small clock differences between gateway replicas. */
const CLOCK_SKEW_SECONDS = 60;
/** Tokens whose signature was checked, kept so a polling client costs no HMAC per request. */
export const DEFAULT_VERIFIED_TOKEN_CACHE_SIZE = 10_000;

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * Compact HS256 tokens in JWT layout (header.payload.signature), made with node:crypto alone.
 * Only this fixed header is ever accepted, which rules out `alg: none` and algorithm confusion.
 */
export class TokenService {
  private readonly key: Buffer;
  /**
   * Claims of tokens already verified, by the exact token text: the same bytes carry the same
   * signature, so only the expiry is left to check on a hit. The signing key never changes in a
   * process, so no entry can become forged; refused tokens are not kept (a flood of forgeries
   * cannot push the genuine ones out, and costs what it always did).
   */
  private readonly verified: LruCache<string, AccessTokenClaims>;

  constructor(
    secret: string | Buffer,
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
    verifiedCacheSize = DEFAULT_VERIFIED_TOKEN_CACHE_SIZE,
  ) {
    this.verified = new LruCache(verifiedCacheSize);
    this.key = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
    if (this.key.length < 32) throw new Error('the token signing key must be at least 32 bytes');
  }

  /** A fresh random key, for development processes started without AUTH_TOKEN_SECRET. */
  static randomKey(): Buffer {
    return randomBytes(48);
  }

  issue(clientId: string): IssuedToken {
    const issuedAtMs = this.now();
    const iat = Math.floor(issuedAtMs / 1000);
    const claims: AccessTokenClaims = { sub: clientId, iat, exp: iat + this.ttlSeconds, jti: randomUUID() };
    const body = `${HEADER}.${base64url(JSON.stringify(claims))}`;
    return { accessToken: `${body}.${this.sign(body)}`, expiresIn: this.ttlSeconds, issuedAtMs, claims };
  }

  /** Returns the claims of a valid token; throws TokenRejectedError otherwise. */
  verify(token: string): AccessTokenClaims {
    if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError('token is too long');
    const known = this.verified.get(token);
    if (known) {
      if (known.exp > Math.floor(this.now() / 1000)) return known;
      this.verified.delete(token);
      throw new TokenRejectedError('token has expired');
    }
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) throw new TokenRejectedError('token is malformed');
    const [header, payload, signature] = parts;
    if (header !== HEADER) throw new TokenRejectedError('token header is not supported');
    const expected = Buffer.from(this.sign(`${header}.${payload}`), 'utf8');
    const presented = Buffer.from(signature, 'utf8');
    if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) {
      throw new TokenRejectedError('token signature is invalid');
    }
    const claims = parseClaims(payload);
    const nowSeconds = Math.floor(this.now() / 1000);
    if (claims.exp <= nowSeconds) throw new TokenRejectedError('token has expired');
    if (claims.iat > nowSeconds + CLOCK_SKEW_SECONDS) throw new TokenRejectedError('token is not valid yet');
    // Valid now means valid until it expires: "not valid yet" only ever turns into valid.
    this.verified.set(token, Object.freeze(claims));
    return claims;
  }

  /**
   * A MAC under the token key, for other opaque values the gateway hands out (query locators):
   * every replica sharing AUTH_TOKEN_SECRET accepts them, and nobody else can forge them.
   */
  mac(data: string): string {
    return createHmac('sha256', this.key).update(`opaque:${data}`).digest('base64url');
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

function parseClaims(payload: string): AccessTokenClaims {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new TokenRejectedError('token payload is malformed');
  }
  const c = value as Partial<AccessTokenClaims> | null;
  if (
    !c ||
    typeof c !== 'object' ||
    typeof c.sub !== 'string' ||
    c.sub === '' ||
    !Number.isInteger(c.iat) ||
    !Number.isInteger(c.exp) ||
    typeof c.jti !== 'string'
  ) {
    throw new TokenRejectedError('token payload is malformed');
  }
  return { sub: c.sub, iat: c.iat as number, exp: c.exp as number, jti: c.jti };
}
