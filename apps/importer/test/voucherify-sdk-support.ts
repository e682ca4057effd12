import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VoucherifyServerSide } from '@voucherify/sdk';
import { ServiceProcess, Stack, startStack, TestBroker, TestDatabase, waitFor } from '@asyncops/testing';

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
  stack!: Stack;
  readonly dir = mkdtempSync(path.join(tmpdir(), 'importer-it-'));

  get db(): TestDatabase {
    return this.stack.db;
  }
  get broker(): TestBroker {
    return this.stack.broker;
  }
  get prefix(): string {
    return this.stack.prefix;
  }
  get tracker(): ServiceProcess {
    return this.stack.tracker;
  }
  get importer(): ServiceProcess {
    return this.stack.importer;
  }
  get gateway(): ServiceProcess {
    return this.stack.gateway;
  }

  /** A stack for the enclosing describe block: started before its tests, stopped after them. */
  static forSuite(name: string, importerEnv: Record<string, string> = {}, trackerEnv: Record<string, string> = {}, gatewayEnv: Record<string, string> = {}): ImportStack {
    const stack = new ImportStack();
    beforeAll(() => stack.start(name, importerEnv, trackerEnv, gatewayEnv));
    afterAll(() => stack.stop());
    return stack;
  }

  async start(name: string, importerEnv: Record<string, string> = {}, trackerEnv: Record<string, string> = {}, gatewayEnv: Record<string, string> = {}): Promise<void> {
    this.stack = await startStack(name, {
      apps: ['tracker', 'importer', 'gateway'],
      env: { AMQP_DELIVERY_LIMIT: '3' },
      appEnv: { importer: importerEnv, tracker: trackerEnv, gateway: gatewayEnv },
      clients: { list: CLIENTS, hashSecret: async (secret) => secretHash(secret) },
    });
  }

  async stop(): Promise<void> {
    try {
      await this.stack?.stop();
    } finally {
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
