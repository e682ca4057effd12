import { createTestDatabase, TestDatabase } from './test-database';
import { TestBroker } from './broker';
import { uniquePrefix } from './env';
import { ServiceProcess } from './service-process';

/** Every durable queue the four apps declare (without the deployment prefix), for teardown. */
export const ALL_APP_QUEUES = [
  'tracker.events',
  'tracker.rpc',
  'tracker.dead-letter-watch',
  'order-placement.rpc',
  'order-placement.commands',
  'order-placement.conversion',
  'importer.rpc',
  'importer.commands',
];

export const TEST_TOKEN_SECRET = 'a-test-signing-key-that-is-long-enough-123';

/**
 * The whole product as four OS processes on a fresh database and broker prefix, with the
 * development client (`dev-client` / `dev-secret`) enabled on the gateway.
 */
export class FullStack {
  db!: TestDatabase;
  broker!: TestBroker;
  tracker!: ServiceProcess;
  placement!: ServiceProcess;
  importer!: ServiceProcess;
  gateway!: ServiceProcess;

  get apps(): ServiceProcess[] {
    return [this.gateway, this.tracker, this.placement, this.importer].filter(Boolean);
  }

  async start(name: string, env: Record<string, string> = {}): Promise<this> {
    this.db = await createTestDatabase(name);
    this.broker = await TestBroker.connect(uniquePrefix(name.replace(/[^a-z0-9]/gi, '')));
    const common = { DATABASE_URL: this.db.url, AMQP_PREFIX: this.broker.prefix, OUTBOX_POLL_MS: '100', ...env };
    this.tracker = await ServiceProcess.start('tracker', common);
    [this.placement, this.importer] = await Promise.all([ServiceProcess.start('order-placement', common), ServiceProcess.start('importer', common)]);
    this.gateway = await ServiceProcess.start('gateway', { ...common, AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET, RPC_TIMEOUT_MS: '30000' });
    return this;
  }

  async token(clientId = 'dev-client', clientSecret = 'dev-secret'): Promise<string> {
    const res = await fetch(`${this.gateway.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
    });
    if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  async stop(): Promise<void> {
    try {
      await Promise.all(this.apps.map((a) => a.stop()));
      await this.broker?.deleteTopology(ALL_APP_QUEUES);
    } finally {
      await this.broker?.close();
      await this.db?.drop();
    }
  }
}
