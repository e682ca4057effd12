import { createHash } from 'node:crypto';
import { ClientRegistry } from './client-registry';

/** How long a verified (or refused) X-App pair is remembered; a removed client still loses access at once. */
export const APP_KEY_CACHE_MS = 60_000;
const REFUSAL_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * Voucherify's X-App-Id / X-App-Token: the client id and its secret, sent on every request.
 * Checking a secret costs one scrypt derivation (tens of milliseconds), far too slow per
 * request, so outcomes are cached briefly under a hash of the pair (never the secret itself).
 */
export class AppKeyVerifier {
  private readonly cache = new Map<string, { clientId: string | null; until: number }>();

  constructor(
    private readonly clients: ClientRegistry,
    private readonly now: () => number = Date.now,
  ) {}

  /** The client id when the pair is valid, null otherwise. */
  async verify(appId: string, appToken: string): Promise<string | null> {
    const key = createHash('sha256').update(appId).update('\0').update(appToken).digest('base64');
    const hit = this.cache.get(key);
    if (hit && hit.until > this.now()) return hit.clientId && this.clients.find(hit.clientId) ? hit.clientId : null;
    const client = await this.clients.authenticate(appId, appToken);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(key, { clientId: client?.clientId ?? null, until: this.now() + (client ? APP_KEY_CACHE_MS : REFUSAL_CACHE_MS) });
    return client?.clientId ?? null;
  }
}
