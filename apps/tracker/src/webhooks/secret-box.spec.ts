import { randomBytes } from 'node:crypto';
import { parseSecretKeys, SecretBox } from './secret-box';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const ID = '6f1c1a52-5a55-4d5e-9f0e-6f3c2b1a0d9e';

describe('webhook secrets at rest', () => {
  it('reads keys, the first being the current one, and names every problem without echoing keys', () => {
    expect(parseSecretKeys('')).toEqual({ problems: [] });
    expect(parseSecretKeys(`new:${k2},old:${k1}`).keys?.currentId).toBe('new');
    const { problems } = parseSecretKeys(`a:${k1},a:${k2},bad id:${k1},short:AAAA,nocolon`);
    expect(problems).toEqual([
      expect.stringMatching(/"a" is listed twice/),
      expect.stringMatching(/entry 3 must be/),
      expect.stringMatching(/key "short" must be 32 bytes/),
      expect.stringMatching(/entry 5 must be/),
    ]);
    expect(problems.join()).not.toContain(k1);
  });

  it('seals with AES-256-GCM under the current key, bound to the webhook id', () => {
    const box = new SecretBox(parseSecretKeys(`k1:${k1}`).keys);
    const sealed = box.seal(ID, 'whsec_abc');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.secret).not.toContain('whsec_abc');
    expect(box.seal(ID, 'whsec_abc').secret).not.toBe(sealed.secret);
    expect(box.open(ID, sealed)).toBe('whsec_abc');
    expect(() => box.open('another-webhook', sealed)).toThrow();
    // Flip one bit of the ciphertext itself (a base64 character's spare bits would change nothing).
    const [version, iv, data, tag] = sealed.secret.split('.');
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open(ID, { ...sealed, secret: [version, iv, flipped.toString('base64url'), tag].join('.') })).toThrow();
    const shortTag = Buffer.from(tag, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => box.open(ID, { ...sealed, secret: [version, iv, data, shortTag].join('.') })).toThrow();
  });

  it('opens secrets under an older key after a rotation and refuses keys no longer listed', () => {
    const old = new SecretBox(parseSecretKeys(`k1:${k1}`).keys).seal(ID, 'whsec_abc');
    const rotated = new SecretBox(parseSecretKeys(`k2:${k2},k1:${k1}`).keys);
    expect(rotated.open(ID, old)).toBe('whsec_abc');
    expect(rotated.seal(ID, 'whsec_abc').keyId).toBe('k2');
    expect(() => new SecretBox(parseSecretKeys(`k2:${k2}`).keys).open(ID, old)).toThrow(/"k1" is not in WEBHOOK_SECRET_KEYS/);
  });

  it('keeps secrets as they are when no key is configured, and reads them once one is', () => {
    const plain = new SecretBox(undefined).seal(ID, 'whsec_abc');
    expect(plain).toEqual({ secret: 'whsec_abc', keyId: null });
    expect(new SecretBox(parseSecretKeys(`k1:${k1}`).keys).open(ID, plain)).toBe('whsec_abc');
  });
});
