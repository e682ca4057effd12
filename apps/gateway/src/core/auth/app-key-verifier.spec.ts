import { AppKeyVerifier, APP_KEY_CACHE_MS } from './app-key-verifier';
import { ClientRegistry } from './client-registry';
import { hashSecret } from './secret-hash';

describe('AppKeyVerifier (X-App-Id / X-App-Token)', () => {
  let registry: ClientRegistry;
  let now: number;

  beforeAll(async () => {
    registry = new ClientRegistry([{ clientId: 'shop', name: 'Shop', secretHash: await hashSecret('right-secret') }]);
  });
  beforeEach(() => {
    now = 1_000_000;
  });

  it('accepts the client id with its secret and refuses anything else', async () => {
    const v = new AppKeyVerifier(registry, () => now);
    expect(await v.verify('shop', 'right-secret')).toBe('shop');
    expect(await v.verify('shop', 'wrong')).toBeNull();
    expect(await v.verify('other', 'right-secret')).toBeNull();
  });

  it('tells from memory alone what verify would answer, and never derives', async () => {
    const spy = jest.spyOn(registry, 'authenticate');
    const v = new AppKeyVerifier(registry, () => now);
    expect(v.cached('shop', 'right-secret')).toBeUndefined();
    expect(spy).not.toHaveBeenCalled();
    await v.verify('shop', 'right-secret');
    await v.verify('shop', 'wrong');
    expect(v.cached('shop', 'right-secret')).toBe('shop');
    expect(v.cached('shop', 'wrong')).toBeNull();
    const rotated = jest.spyOn(registry, 'secretVersion').mockReturnValue('another-salt');
    expect(v.cached('shop', 'right-secret')).toBeUndefined();
    rotated.mockRestore();
    await v.verify('shop', 'right-secret');
    now += APP_KEY_CACHE_MS + 1;
    expect(v.cached('shop', 'right-secret')).toBeUndefined();
    expect(spy).toHaveBeenCalledTimes(3);
    spy.mockRestore();
  });

  it('derives the key once per pair within the cache window, and again after it', async () => {
    const spy = jest.spyOn(registry, 'authenticate');
    const v = new AppKeyVerifier(registry, () => now);
    await v.verify('shop', 'right-secret');
    await v.verify('shop', 'right-secret');
    expect(spy).toHaveBeenCalledTimes(1);
    now += APP_KEY_CACHE_MS + 1;
    expect(await v.verify('shop', 'right-secret')).toBe('shop');
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
  });

  it('checks a cached pair again once the client has another secret, and refuses it if it no longer matches', async () => {
    const spy = jest.spyOn(registry, 'authenticate');
    const v = new AppKeyVerifier(registry, () => now);
    expect(await v.verify('shop', 'right-secret')).toBe('shop');
    const rotated = jest.spyOn(registry, 'secretVersion').mockReturnValue('another-salt');
    spy.mockResolvedValueOnce(null);
    expect(await v.verify('shop', 'right-secret')).toBeNull();
    expect(spy).toHaveBeenCalledTimes(2);
    rotated.mockRestore();
    spy.mockRestore();
  });

  it('refuses a cached pair at once when its client is no longer registered', async () => {
    const v = new AppKeyVerifier(registry, () => now);
    expect(await v.verify('shop', 'right-secret')).toBe('shop');
    const spy = jest.spyOn(registry, 'authenticate');
    const gone = jest.spyOn(registry, 'secretVersion').mockReturnValue(undefined);
    expect(await v.verify('shop', 'right-secret')).toBeNull();
    expect(spy).not.toHaveBeenCalled();
    gone.mockRestore();
    spy.mockRestore();
  });

  it('keys its cache by an HMAC under a key of its own, so two verifiers never share a key for a pair', () => {
    const keys = (v: AppKeyVerifier) => (v as unknown as { cacheKey: Buffer }).cacheKey.toString('hex');
    expect(keys(new AppKeyVerifier(registry))).not.toBe(keys(new AppKeyVerifier(registry)));
  });
});
