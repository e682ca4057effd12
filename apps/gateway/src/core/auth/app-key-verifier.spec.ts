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
});
