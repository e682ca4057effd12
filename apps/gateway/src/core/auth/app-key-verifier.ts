import { createHmac, randomBytes } from 'node:crypto';
import { ClientRegistry } from './client-registry';
import { LruCache } from './lru-cache';

/** How long a verified (or refused) X-App pair is remembered; a removed client still loses access at once. */
export const APP_KEY_CACHE_MS = 60_000;
const REFUSAL_CACHE_MS = 5_000;
export const DEFAULT_APP_KEY_CACHE_SIZE = 10_000;

/**
 * Called before a derivation; throws to refuse the check without deriving, or returns the
 * function told whether the pair was right.
 */
export type AdmitDerivation = () => (succeeded: boolean) => void;

interface Outcome {
  clientId: string | null;
  /** The client's secret when the pair was verified: a hit made under another secret is stale. */
  secretVersion?: string;
  until: number;
}

/**
 * Voucherify's X-App-Id / X-App-Token: the client id and its secret, sent on every request.
 * Checking a secret costs one scrypt derivation (tens of milliseconds), far too slow per
 * request, so outcomes are cached briefly under an HMAC of the pair with a key of this process's
 * own (never the secret itself, nor a plain hash a memory dump could be matched against). A hit
 * counts only while the client is registered with the same secret it was verified under.
 * Verified pairs and refusals live in separate LRUs, so a flood of wrong pairs cannot push the
 * genuine clients' pairs out; concurrent checks of one pair share one derivation.
 */
export class AppKeyVerifier {
  private readonly verified: LruCache<string, Outcome>;
  private readonly refused: LruCache<string, Outcome>;
  private readonly inFlight = new Map<string, Promise<string | null>>();
  private readonly cacheKey = randomBytes(32);

  constructor(
    private readonly clients: ClientRegistry,
    private readonly now: () => number = Date.now,
    cacheSize: number = DEFAULT_APP_KEY_CACHE_SIZE,
  ) {
    this.verified = new LruCache(cacheSize);
    this.refused = new LruCache(Math.max(1, Math.floor(cacheSize / 10)));
  }

  /** The client id when the pair is valid, null otherwise. `admit` runs only when a key must be derived. */
  async verify(appId: string, appToken: string, admit?: AdmitDerivation): Promise<string | null> {
    const key = this.keyOf(appId, appToken);
    const known = this.remembered(key);
    if (known !== undefined) return known;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const settle = admit?.();
    const derivation = this.derive(key, appId, appToken).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, derivation);
    let clientId: string | null = null;
    try {
      clientId = await derivation;
    } finally {
      settle?.(clientId !== null);
    }
    return clientId;
  }

  /**
   * The outcome `verify` would give from what is remembered alone: the client id, null for a
   * refusal, undefined when the pair would have to be derived. Never derives, so the read edge can
   * ask it synchronously and leave anything else to the guard.
   */
  cached(appId: string, appToken: string): string | null | undefined {
    return this.remembered(this.keyOf(appId, appToken));
  }

  private keyOf(appId: string, appToken: string): string {
    return createHmac('sha256', this.cacheKey).update(appId).update('\0').update(appToken).digest('base64');
  }

  private remembered(key: string): string | null | undefined {
    const hit = this.verified.get(key) ?? this.refused.get(key);
    if (!hit || hit.until <= this.now()) return undefined;
    if (!hit.clientId) return null;
    const current = this.clients.secretVersion(hit.clientId);
    if (current === undefined) return null;
    if (current === hit.secretVersion) return hit.clientId;
    // The client's secret changed since: the pair must be checked against the new one.
    this.verified.delete(key);
    return undefined;
  }

  /** Verified pairs held (for tests and metrics). */
  get size(): number {
    return this.verified.size;
  }

  private async derive(key: string, appId: string, appToken: string): Promise<string | null> {
    const client = await this.clients.authenticate(appId, appToken);
    const clientId = client?.clientId ?? null;
    if (clientId) {
      this.refused.delete(key);
      this.verified.set(key, { clientId, secretVersion: this.clients.secretVersion(clientId), until: this.now() + APP_KEY_CACHE_MS });
    } else {
      this.verified.delete(key);
      this.refused.set(key, { clientId: null, until: this.now() + REFUSAL_CACHE_MS });
    }
    return clientId;
  }
}
