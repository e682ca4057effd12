import { hashSecret, parseSecretHash, verifySecret } from './secret-hash';

describe('secret hashing', () => {
  it('produces scrypt$<saltHex>$<hashHex>', async () => {
    const hash = await hashSecret('s3cret');
    expect(hash).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(parseSecretHash(hash)?.hash).toHaveLength(32);
  });

  it('verifies the right secret and rejects others', async () => {
    const hash = await hashSecret('s3cret');
    await expect(verifySecret('s3cret', hash)).resolves.toBe(true);
    await expect(verifySecret('s3cret ', hash)).resolves.toBe(false);
    await expect(verifySecret('', hash)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashSecret('same')).not.toBe(await hashSecret('same'));
  });

  it('is deterministic for a given salt', async () => {
    const salt = Buffer.alloc(16, 7);
    expect(await hashSecret('same', salt)).toBe(await hashSecret('same', salt));
  });

  it('treats unreadable hashes as non-matching', async () => {
    expect(parseSecretHash('plain-text')).toBeNull();
    expect(parseSecretHash('scrypt$abc$def')).toBeNull();
    await expect(verifySecret('x', 'bcrypt$00$11')).resolves.toBe(false);
  });

  it('refuses to hash an empty secret', async () => {
    await expect(hashSecret('')).rejects.toThrow(/empty/);
  });
});
