import { loadConfig } from '@asyncops/platform';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, GatewayConfig } from '../../config';
import { ClientRegistry } from './client-registry';
import { hashSecret } from './secret-hash';

const SECRET = 'a'.repeat(40);

describe('ClientRegistry', () => {
  it('enables only the development client when none are configured outside production', async () => {
    const registry = await ClientRegistry.fromConfig(loadConfig('gateway', GatewayConfig, { NODE_ENV: 'development' }));
    expect(registry.devClientEnabled).toBe(true);
    expect(registry.size).toBe(1);
    await expect(registry.authenticate(DEV_CLIENT_ID, DEV_CLIENT_SECRET)).resolves.toMatchObject({ clientId: DEV_CLIENT_ID });
    await expect(registry.authenticate(DEV_CLIENT_ID, 'wrong')).resolves.toBeNull();
  });

  it('uses the configured clients, and no development client, when AUTH_CLIENTS is set', async () => {
    const clients = JSON.stringify([
      { clientId: 'shop', secretHash: await hashSecret('shop-secret'), name: 'Shop' },
      { clientId: 'erp', secretHash: await hashSecret('erp-secret') },
    ]);
    const registry = await ClientRegistry.fromConfig(loadConfig('gateway', GatewayConfig, { NODE_ENV: 'development', AUTH_CLIENTS: clients }));
    expect(registry.devClientEnabled).toBe(false);
    await expect(registry.authenticate('shop', 'shop-secret')).resolves.toEqual({ clientId: 'shop', name: 'Shop' });
    await expect(registry.authenticate('erp', 'erp-secret')).resolves.toEqual({ clientId: 'erp', name: 'erp' });
    await expect(registry.authenticate('shop', 'erp-secret')).resolves.toBeNull();
    await expect(registry.authenticate(DEV_CLIENT_ID, DEV_CLIENT_SECRET)).resolves.toBeNull();
    expect(registry.find('erp')).toEqual({ clientId: 'erp', name: 'erp' });
    expect(registry.find('nobody')).toBeUndefined();
  });

  it('answers an unknown client id like a wrong secret', async () => {
    const registry = new ClientRegistry([{ clientId: 'shop', name: 'Shop', secretHash: await hashSecret('s') }]);
    await expect(registry.authenticate('ghost', 's')).resolves.toBeNull();
  });

  it('never falls back to the development client in production', async () => {
    const config = loadConfig('gateway', GatewayConfig, { NODE_ENV: 'development', AUTH_TOKEN_SECRET: SECRET });
    config.NODE_ENV = 'production';
    await expect(ClientRegistry.fromConfig(config)).rejects.toThrow(/AUTH_CLIENTS/);
  });

  it('refuses an unreadable secret hash', () => {
    expect(() => new ClientRegistry([{ clientId: 'x', name: 'x', secretHash: 'plain' }])).toThrow(/secretHash/);
  });
});
