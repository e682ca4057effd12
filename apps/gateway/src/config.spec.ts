import { ConfigError, loadConfig } from '@asyncops/platform';
import { hashSecret } from './core/auth/secret-hash';
import { GatewayConfig, parseAuthClients } from './config';

const SECRET = 'k'.repeat(48);

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig('gateway', GatewayConfig, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.variable}: ${p.rule}`);
    throw e;
  }
  return [];
}

describe('GatewayConfig', () => {
  it('has working defaults outside production', () => {
    const config = loadConfig('gateway', GatewayConfig, {});
    expect(config).toMatchObject({
      PORT: 3000,
      AUTH_CLIENTS: '',
      AUTH_TOKEN_SECRET: '',
      AUTH_TOKEN_TTL_SECONDS: 3600,
      WAIT_MAX_SECONDS: 60,
      RPC_TIMEOUT_MS: 10_000,
      RETRY_AFTER_SECONDS: 2,
    });
    expect(config.usesDevClient).toBe(true);
  });

  it('reads numbers from the environment', () => {
    const config = loadConfig('gateway', GatewayConfig, { PORT: '8080', WAIT_MAX_SECONDS: '30', RPC_TIMEOUT_MS: '2500' });
    expect(config).toMatchObject({ PORT: 8080, WAIT_MAX_SECONDS: 30, RPC_TIMEOUT_MS: 2500 });
  });

  it('refuses to start in production without clients and a token secret, saying what to set', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual([
      expect.stringMatching(/^AUTH_CLIENTS: must list at least one client in production.*hash-secret\.ts/),
      expect.stringMatching(/^AUTH_TOKEN_SECRET: must be set in production.*openssl rand/),
      expect.stringMatching(/^PUBLIC_BASE_URL: must be set in production/),
    ]);
  });

  it('starts in production with clients and a secret', async () => {
    const clients = JSON.stringify([{ clientId: 'shop', secretHash: await hashSecret('s'), name: 'Shop' }]);
    const config = loadConfig('gateway', GatewayConfig, {
      NODE_ENV: 'production',
      AUTH_CLIENTS: clients,
      AUTH_TOKEN_SECRET: SECRET,
      PUBLIC_BASE_URL: 'https://api.example.com',
    });
    expect(config.usesDevClient).toBe(false);
  });

  it('rejects a short token secret without printing it', () => {
    const problems = problemsOf({ AUTH_TOKEN_SECRET: 'tooshort-secret' });
    expect(problems).toEqual([expect.stringMatching(/^AUTH_TOKEN_SECRET: must be at least 32 characters \(got 15\)/)]);
    expect(problems.join()).not.toContain('tooshort-secret');
  });

  it('describes bad AUTH_CLIENTS entries without echoing the hashes', () => {
    expect(problemsOf({ AUTH_CLIENTS: 'not json' })).toEqual([expect.stringMatching(/^AUTH_CLIENTS: must be a JSON array/)]);
    const leaked = 'scrypt$zz$leaky';
    const problems = problemsOf({ AUTH_CLIENTS: JSON.stringify([{ clientId: 'shop', secretHash: leaked }]) });
    expect(problems).toEqual([expect.stringMatching(/^AUTH_CLIENTS: entry 0 \(shop\): secretHash must look like scrypt/)]);
    expect(problems.join()).not.toContain(leaked);
  });

  it('rejects duplicate and unsafe client ids', async () => {
    const h = await hashSecret('s');
    expect(parseAuthClients(JSON.stringify([{ clientId: 'a', secretHash: h }, { clientId: 'a', secretHash: h }])).problems).toEqual([
      expect.stringMatching(/listed twice/),
    ]);
    expect(parseAuthClients(JSON.stringify([{ clientId: 'has space', secretHash: h }])).problems).toEqual([expect.stringMatching(/clientId must be/)]);
    expect(parseAuthClients(JSON.stringify({ clientId: 'a' })).problems).toEqual([expect.stringMatching(/JSON array/)]);
  });

  it('bounds the numeric settings', () => {
    expect(problemsOf({ WAIT_MAX_SECONDS: '-1', RETRY_AFTER_SECONDS: '0' }).map((p) => p.split(':')[0])).toEqual(['WAIT_MAX_SECONDS', 'RETRY_AFTER_SECONDS']);
  });

  it('reads SOQL through the owning services unless READ_DATABASE_URL is set, with a small read pool', () => {
    expect(loadConfig('gateway', GatewayConfig, {})).toMatchObject({ READ_DATABASE_URL: '', READ_DATABASE_POOL_SIZE: 5 });
    const config = loadConfig('gateway', GatewayConfig, { READ_DATABASE_URL: 'postgres://reader:pw@db:5432/asyncops', READ_DATABASE_POOL_SIZE: '3' });
    expect(config).toMatchObject({ READ_DATABASE_URL: 'postgres://reader:pw@db:5432/asyncops', READ_DATABASE_POOL_SIZE: 3 });
  });

  it('refuses a READ_DATABASE_URL that is not a postgres URL with a database, saying what to set and hiding the password', () => {
    const problems = problemsOf({ READ_DATABASE_URL: 'mysql://reader:s3cret@db/asyncops', READ_DATABASE_POOL_SIZE: '0' });
    expect(problems).toEqual([
      expect.stringMatching(/^READ_DATABASE_URL: must be a postgres:\/\/ URL with a database name, or empty/),
      expect.stringMatching(/^READ_DATABASE_POOL_SIZE: /),
    ]);
    expect(problems.join('\n')).not.toContain('s3cret');
    try {
      loadConfig('gateway', GatewayConfig, { READ_DATABASE_URL: 'postgres://db' });
      throw new Error('accepted');
    } catch (e) {
      expect(String((e as Error).message)).toContain('Set READ_DATABASE_URL to the database the tracker and order-placement use');
    }
  });
});
