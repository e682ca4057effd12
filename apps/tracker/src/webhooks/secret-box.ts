import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Webhook signing secrets at rest: AES-256-GCM under a key from WEBHOOK_SECRET_KEYS, the webhook id
 * as associated data (a ciphertext copied onto another row does not decrypt), and the key id stored
 * beside it so keys can be rotated: the first key listed encrypts, every listed key decrypts, and at
 * start-up rows under any other key (or none) are re-encrypted under the first.
 */
export interface SecretKeys {
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,32}$/;

/** Reads `id:base64key,id2:base64key` (32-byte keys); the first is the current one. */
export function parseSecretKeys(raw: string): { keys?: SecretKeys; problems: string[] } {
  const text = raw.trim();
  if (text === '') return { problems: [] };
  const keys = new Map<string, Buffer>();
  const problems: string[] = [];
  let currentId: string | undefined;
  for (const [i, entry] of text.split(',').entries()) {
    const colon = entry.indexOf(':');
    const id = entry.slice(0, colon).trim();
    const key = Buffer.from(entry.slice(colon + 1).trim(), 'base64');
    if (colon < 0 || !KEY_ID.test(id)) problems.push(`WEBHOOK_SECRET_KEYS: entry ${i + 1} must be <keyId>:<base64 key>, the id 1-32 letters, digits, dots, dashes or underscores`);
    else if (key.length !== 32) problems.push(`WEBHOOK_SECRET_KEYS: key "${id}" must be 32 bytes in base64 (generate one with: openssl rand -base64 32)`);
    else if (keys.has(id)) problems.push(`WEBHOOK_SECRET_KEYS: key id "${id}" is listed twice`);
    else {
      keys.set(id, key);
      currentId ??= id;
    }
  }
  return problems.length || !currentId ? { problems } : { keys: { currentId, keys }, problems };
}

export interface SealedSecret {
  secret: string;
  keyId: string | null;
}

export class SecretBox {
  constructor(private readonly keys: SecretKeys | undefined) {}

  get currentKeyId(): string | null {
    return this.keys?.currentId ?? null;
  }

  /** Encrypts under the current key; without keys (development only) the secret is stored as is. */
  seal(webhookId: string, secret: string): SealedSecret {
    if (!this.keys) return { secret, keyId: null };
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.keys.get(this.keys.currentId) as Buffer, iv);
    cipher.setAAD(Buffer.from(webhookId));
    const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return { secret: `v1.${iv.toString('base64url')}.${data.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`, keyId: this.keys.currentId };
  }

  /** The plain secret; throws when the row's key is not configured or the ciphertext was tampered with. */
  open(webhookId: string, stored: SealedSecret): string {
    if (stored.keyId === null) return stored.secret;
    const key = this.keys?.keys.get(stored.keyId);
    if (!key) throw new Error(`webhook secret key "${stored.keyId}" is not in WEBHOOK_SECRET_KEYS`);
    const [version, iv, data, tag] = stored.secret.split('.');
    if (version !== 'v1' || !iv || !data || !tag) throw new Error('unreadable sealed webhook secret');
    // A full 16-byte tag only: GCM would otherwise accept a truncated one.
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(webhookId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
