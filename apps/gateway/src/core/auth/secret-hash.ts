import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets are stored as `scrypt$<saltHex>$<hashHex>`: a memory-hard KDF, so a leaked
 * AUTH_CLIENTS value does not give the secrets away to a GPU. The cost parameters are fixed
 * (Node's defaults) so the stored string stays short and every replica derives the same key.
 */
const SCRYPT_OPTIONS: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;

export const SECRET_HASH_PATTERN = /^scrypt\$([0-9a-f]{16,128})\$([0-9a-f]{32,256})$/;

export interface ParsedSecretHash {
  salt: Buffer;
  hash: Buffer;
}

/** Parses a stored hash; `null` when it does not have the `scrypt$<saltHex>$<hashHex>` shape. */
export function parseSecretHash(encoded: string): ParsedSecretHash | null {
  const m = SECRET_HASH_PATTERN.exec(encoded);
  if (!m || m[1].length % 2 !== 0 || m[2].length % 2 !== 0) return null;
  return { salt: Buffer.from(m[1], 'hex'), hash: Buffer.from(m[2], 'hex') };
}

function derive(secret: string, salt: Buffer, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret.normalize('NFC'), salt, keyLength, SCRYPT_OPTIONS, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashSecret(secret: string, salt: Buffer = randomBytes(SALT_BYTES)): Promise<string> {
  if (!secret) throw new Error('a secret must not be empty');
  const key = await derive(secret, salt, KEY_BYTES);
  return `scrypt$${salt.toString('hex')}$${key.toString('hex')}`;
}

/** Constant-time comparison of a presented secret against a stored hash. */
export async function verifySecret(secret: string, encoded: string | ParsedSecretHash): Promise<boolean> {
  const parsed = typeof encoded === 'string' ? parseSecretHash(encoded) : encoded;
  if (!parsed) return false;
  const key = await derive(secret, parsed.salt, parsed.hash.length);
  return timingSafeEqual(key, parsed.hash);
}
