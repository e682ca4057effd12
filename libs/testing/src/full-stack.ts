import { createTestDatabase, readOnlyDatabaseUrl, TestDatabase } from './test-database';
import { TestBroker } from './broker';
import { uniquePrefix } from './env';
import { ServiceProcess, waitFor } from './service-process';

export type AppName = ServiceProcess['app'];

export const TEST_TOKEN_SECRET = 'a-test-signing-key-that-is-long-enough-123';

/** The gateway's development client, enabled when no AUTH_CLIENTS are configured outside production. */
export const DEV_CLIENT = { id: 'dev-client', secret: 'dev-secret' } as const;

export interface TestClient {
  id: string;
  secret: string;
  name?: string;
}

/** Two clients of different owners, for the suites about what one may see or do of the other's. */
export const CLIENT_A: TestClient = { id: 'acme-erp', secret: 'acme-secret-1' };
export const CLIENT_B: TestClient = { id: 'globex-shop', secret: 'globex-secret-2' };

const TERMINAL = ['Completed', 'CompletedWithFailures', 'Failure', 'Cancelled'];

/** The fields of the native operation view most suites read. */
export interface NativeOperation {
  id: string;
  status: string;
  jobType: string;
  stepName: string | null;
  totalJobItems: number | null;
  successfulJobItems: number;
  failedJobItems: number;
  message: string | null;
}

export interface StackOptions {
  /** The apps to run, as OS processes; default all four. The gateway starts last. */
  apps?: AppName[];
  /** A broker other than the shared one (a `PrivateBroker`'s url): the apps and the suite's own connection use it. */
  amqpUrl?: string;
  /** Variables for every app (DATABASE_URL, AMQP_PREFIX and, with `amqpUrl`, AMQP_URL are set by the stack). */
  env?: Record<string, string>;
  /** Variables for one app, over `env`. */
  appEnv?: Partial<Record<AppName, Record<string, string>>>;
  /**
   * The gateway's clients (AUTH_CLIENTS); without them the development client is enabled.
   * `hashSecret` is the gateway's own, passed in by the suite (libs do not import apps).
   */
  clients?: { list: TestClient[]; hashSecret: (secret: string) => Promise<string> };
  /** The gateway reads SOQL pages itself: READ_DATABASE_URL is the stack's database, on read-only sessions. */
  readDatabase?: boolean;
}

/**
 * The product (or the part of it a suite needs) as OS processes on a fresh database and broker
 * prefix. `stop()` stops the processes, removes the prefix's queues and exchanges and drops the
 * database, even when a step fails.
 */
export class Stack {
  readonly processes: Partial<Record<AppName, ServiceProcess>> = {};
  /** Variables every app got: suites start extra replicas with them. */
  env!: Record<string, string>;
  /** Variables the gateway got besides `env` (clients, token secret, READ_DATABASE_URL): another gateway with them shares tokens and query locators. */
  gatewayEnv: Record<string, string> = {};
  private readonly tokens = new Map<string, string>();

  constructor(
    readonly db: TestDatabase,
    readonly broker: TestBroker,
  ) {}

  get prefix(): string {
    return this.broker.prefix;
  }

  get gateway(): ServiceProcess {
    return this.app('gateway');
  }
  get tracker(): ServiceProcess {
    return this.app('tracker');
  }
  get placement(): ServiceProcess {
    return this.app('order-placement');
  }
  get importer(): ServiceProcess {
    return this.app('importer');
  }

  /** Further processes the suite started through `startApp` (replicas, restarts). */
  readonly extra: ServiceProcess[] = [];

  get apps(): ServiceProcess[] {
    return [...Object.values(this.processes).filter((p): p is ServiceProcess => !!p), ...this.extra];
  }

  /** Starts another process of `app` on this stack (a replica, or a restart with other settings); `stop()` stops it too. */
  async startApp(app: AppName, env: Record<string, string> = {}): Promise<ServiceProcess> {
    const p = await ServiceProcess.start(app, { ...this.env, ...env });
    this.extra.push(p);
    return p;
  }

  app(name: AppName): ServiceProcess {
    const p = this.processes[name];
    if (!p) throw new Error(`${name} is not part of this stack`);
    return p;
  }

  /** An OAuth access token for a client (client credentials at the gateway), cached per client. */
  async token(client: TestClient = DEV_CLIENT): Promise<string> {
    const cached = this.tokens.get(client.id);
    if (cached) return cached;
    const res = await fetch(`${this.gateway.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }).toString(),
    });
    if (res.status !== 200) throw new Error(`token request for ${client.id} failed: ${res.status} ${await res.text()}`);
    const token = ((await res.json()) as { access_token: string }).access_token;
    this.tokens.set(client.id, token);
    return token;
  }

  /** A request to the gateway as `client` (JSON by default). */
  async api(path: string, init: RequestInit = {}, client: TestClient = DEV_CLIENT): Promise<Response> {
    const headers = { authorization: `Bearer ${await this.token(client)}`, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) };
    return fetch(`${this.gateway.url}${path}`, { ...init, headers });
  }

  /** A JSON POST to the gateway as `client`. */
  post(path: string, body: unknown, client: TestClient = DEV_CLIENT, headers: Record<string, string> = {}): Promise<Response> {
    return this.api(path, { method: 'POST', body: JSON.stringify(body), headers }, client);
  }

  /** An operation as the native API shows it to `client`; anything but 200 fails the caller. */
  async operation<T extends { status: string } = NativeOperation>(id: string, client: TestClient = DEV_CLIENT): Promise<T> {
    const res = await this.api(`/api/v1/operations/${id}`, {}, client);
    if (res.status !== 200) throw new Error(`GET operation ${id} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Long-polls (`?wait=`) until the operation is terminal, and returns it. */
  async finished<T extends { status: string } = NativeOperation>(id: string, opts: { client?: TestClient; timeoutMs?: number } = {}): Promise<T> {
    return waitFor(
      `operation ${id} to finish`,
      async () => {
        const res = await this.api(`/api/v1/operations/${id}?wait=5`, {}, opts.client);
        if (res.status !== 200) return undefined;
        const op = (await res.json()) as T;
        return TERMINAL.includes(op.status) ? op : undefined;
      },
      opts.timeoutMs ?? 60_000,
      50,
    );
  }

  /** Stops everything; `extraQueues` are queues the suite declared itself (without the prefix). */
  async stop(extraQueues: string[] = []): Promise<void> {
    if (process.env.DEBUG_LOGS) {
      for (const a of this.apps) {
        const lines = a.logs.filter((l) => l.level === 'error' || l.level === 'warn').slice(0, 20);
        process.stdout.write(`${a.app}\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      }
    }
    try {
      await Promise.all(this.apps.map((a) => a.stop()));
      await this.broker.deleteTopology(extraQueues);
    } finally {
      await this.broker.close();
      await this.db.drop();
    }
  }
}

/** Starts a stack for a suite named `name` (the database and broker prefix carry the name). */
export async function startStack(name: string, options: StackOptions = {}): Promise<Stack> {
  const label = name.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const db = await createTestDatabase(label);
  let broker: TestBroker | undefined;
  try {
    broker = await TestBroker.connect(uniquePrefix(label.replace(/_/g, '')), options.amqpUrl);
    const stack = new Stack(db, broker);
    // Pools of 10 (not 20): two suites' stacks run side by side within PostgreSQL's default 100 connections.
    stack.env = { DATABASE_URL: db.url, AMQP_PREFIX: broker.prefix, OUTBOX_POLL_MS: '100', DATABASE_POOL_SIZE: '10', ...(options.amqpUrl ? { AMQP_URL: options.amqpUrl } : {}), ...options.env };
    const apps = new Set(options.apps ?? ['tracker', 'order-placement', 'importer', 'gateway']);
    const envOf = (app: AppName) => ({ ...stack.env, ...options.appEnv?.[app] });
    const start = async (app: AppName) => {
      stack.processes[app] = await ServiceProcess.start(app, envOf(app));
    };
    try {
      // Side by side: nothing is published before a suite acts, so no service needs the tracker's
      // queues declared first; the gateway, which calls them all, comes last.
      await Promise.all((['tracker', 'order-placement', 'importer'] as const).filter((a) => apps.has(a)).map(start));
      if (apps.has('gateway')) {
        const auth = options.clients;
        const clients: Record<string, string> = auth
          ? { AUTH_CLIENTS: JSON.stringify(await Promise.all(auth.list.map(async (c) => ({ clientId: c.id, secretHash: await auth.hashSecret(c.secret), name: c.name ?? c.id })))) }
          : {};
        const reads: Record<string, string> = options.readDatabase ? { READ_DATABASE_URL: readOnlyDatabaseUrl(db.url) } : {};
        stack.gatewayEnv = { AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET, RPC_TIMEOUT_MS: '30000', ...clients, ...reads, ...options.appEnv?.gateway };
        stack.processes.gateway = await ServiceProcess.start('gateway', { ...stack.env, ...stack.gatewayEnv });
      }
    } catch (e) {
      await stack.stop().catch(() => undefined);
      throw e;
    }
    return stack;
  } catch (e) {
    if (!broker) await db.drop().catch(() => undefined);
    throw e;
  }
}
