import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VoucherifyServerSide } from '@voucherify/sdk';
import { createTestDatabase, ServiceProcess, TestBroker, TestDatabase, uniquePrefix, waitFor } from '@asyncops/testing';
import { IMPORTER_QUEUES } from '../src/queues';

export const TRACKER_QUEUES = ['tracker.events', 'tracker.rpc', 'tracker.dead-letter-watch'];
export const CLIENTS = [
  { id: 'shop-a', secret: 'shop-a-secret-0123456789' },
  { id: 'shop-b', secret: 'shop-b-secret-0123456789' },
];

/** The gateway's stored form of a secret (scrypt$salt$hash, Node's default cost), without importing gateway code. */
function secretHash(secret: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(secret.normalize('NFC'), salt, 32, { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${salt.toString('hex')}$${key.toString('hex')}`;
}

export interface AsyncActionJson {
  id: string;
  type: string;
  status: string;
  operation_status: string;
  progress: number;
  processing_time: number;
  request_id: string | null;
  created_at: string;
  updated_at: string;
  object: string;
  result: Record<string, unknown> & {
    message: string;
    done_count: number;
    failed_count: number;
    failed?: Array<{ code?: string; source_id?: string; row: number; reason: string }>;
    reports?: string[];
    reports_available_till?: string;
  };
}

/** Tracker, importer and gateway as processes on a fresh database and broker prefix. */
export class ImportStack {
  db!: TestDatabase;
  broker!: TestBroker;
  prefix!: string;
  tracker!: ServiceProcess;
  importer!: ServiceProcess;
  gateway!: ServiceProcess;
  readonly dir = mkdtempSync(path.join(tmpdir(), 'importer-it-'));

  async start(name: string, importerEnv: Record<string, string> = {}, trackerEnv: Record<string, string> = {}, gatewayEnv: Record<string, string> = {}): Promise<void> {
    this.db = await createTestDatabase(name);
    this.prefix = uniquePrefix(name);
    this.broker = await TestBroker.connect(this.prefix);
    const common = { DATABASE_URL: this.db.url, AMQP_PREFIX: this.prefix, AMQP_DELIVERY_LIMIT: '3', OUTBOX_POLL_MS: '100' };
    [this.tracker, this.importer] = await Promise.all([ServiceProcess.start('tracker', { ...common, ...trackerEnv }), ServiceProcess.start('importer', { ...common, ...importerEnv })]);
    this.gateway = await ServiceProcess.start('gateway', {
      ...common,
      AUTH_TOKEN_SECRET: 'a-test-signing-key-that-is-long-enough-123',
      AUTH_CLIENTS: JSON.stringify(CLIENTS.map((c) => ({ clientId: c.id, name: c.id, secretHash: secretHash(c.secret) }))),
      RPC_TIMEOUT_MS: '30000',
      ...gatewayEnv,
    });
  }

  async stop(): Promise<void> {
    try {
      await Promise.all([this.gateway?.stop(), this.importer?.stop(), this.tracker?.stop()]);
      await this.broker?.deleteTopology([...TRACKER_QUEUES, ...IMPORTER_QUEUES]);
    } finally {
      await this.broker?.close();
      await this.db?.drop();
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  sdk(client = CLIENTS[0]) {
    return VoucherifyServerSide({ applicationId: client.id, secretKey: client.secret, apiUrl: this.gateway.url });
  }

  file(name: string, content: string | Buffer): string {
    const p = path.join(this.dir, name);
    writeFileSync(p, content);
    return p;
  }

  /** Raw request with X-App credentials, for what the SDK cannot send (bad bodies, downloads). */
  fetch(pathname: string, init: RequestInit = {}, client = CLIENTS[0]): Promise<Response> {
    return fetch(`${this.gateway.url}${pathname}`, { ...init, headers: { 'X-App-Id': client.id, 'X-App-Token': client.secret, ...(init.headers ?? {}) } });
  }

  async finished(id: string, client = CLIENTS[0], timeoutMs = 60_000): Promise<AsyncActionJson> {
    const sdk = this.sdk(client);
    return waitFor(
      `async action ${id} to finish`,
      async () => {
        const a = (await sdk.asyncActions.get(id)) as unknown as AsyncActionJson;
        return a.status === 'DONE' || a.status === 'FAILED' ? a : undefined;
      },
      timeoutMs,
      200,
    );
  }
}
