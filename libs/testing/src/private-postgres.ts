import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { randomSuffix } from './env';
import { freePort, sleep } from './service-process';
import type { TestDatabase } from './test-database';

const PG_ROOT = '/usr/lib/postgresql';

/** The newest installed PostgreSQL's binaries (Debian/Ubuntu layout), or PG_BIN_DIR. */
function binDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const versions = existsSync(PG_ROOT) ? readdirSync(PG_ROOT).filter((v) => existsSync(path.join(PG_ROOT, v, 'bin', 'pg_ctl'))) : [];
  if (!versions.length) throw new Error(`no PostgreSQL binaries under ${PG_ROOT}/*/bin; set PG_BIN_DIR`);
  versions.sort((a, b) => Number(b) - Number(a));
  return path.join(PG_ROOT, versions[0], 'bin');
}

/** initdb and postgres refuse to run as root: run them as the `postgres` OS user then. */
function runAs(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

function run(bin: string, args: string[], user: { uid: number; gid: number } | undefined, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...(user ?? {}), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(bin)} ${args.join(' ')} exited with ${code}:\n${out}`));
    });
  });
}

/**
 * A PostgreSQL server of the test's own: `initdb` into a temporary directory, started with
 * `pg_ctl` on a free port (trust authentication, loopback and a private socket directory only).
 * Faults such as a restart hit only this cluster, never the shared server. `stop()` removes it.
 */
export class PrivatePostgres {
  private readonly pools: Pool[] = [];

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly user: { uid: number; gid: number } | undefined,
  ) {}

  static async start(settings: Record<string, string> = {}): Promise<PrivatePostgres> {
    const bin = binDir();
    const user = runAs();
    const root = mkdtempSync(path.join(tmpdir(), 'asyncops-pg-'));
    const dataDir = path.join(root, 'data');
    if (user) chownSync(root, user.uid, user.gid);
    const pg = new PrivatePostgres(dataDir, await freePort(), bin, user);
    try {
      await run(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], user, 120_000).catch(
        // Older initdb versions do not know --no-instructions.
        () => run(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], user, 120_000),
      );
      pg.settings = {
        listen_addresses: '127.0.0.1',
        unix_socket_directories: root,
        max_connections: '200',
        // A throwaway cluster: durability across an OS crash is not needed, speed is.
        fsync: 'off',
        synchronous_commit: 'off',
        full_page_writes: 'off',
        ...settings,
      };
      await pg.startServer();
      return pg;
    } catch (e) {
      await pg.stop().catch(() => undefined);
      throw e;
    }
  }

  private settings: Record<string, string> = {};

  get serverUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}`;
  }

  private pgCtl(args: string[], timeoutMs = 60_000): Promise<string> {
    return run(path.join(this.bin, 'pg_ctl'), ['-D', this.dataDir, ...args], this.user, timeoutMs);
  }

  private async startServer(): Promise<void> {
    const options = [`-p ${this.port}`, ...Object.entries(this.settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
    await this.pgCtl(['-l', path.join(path.dirname(this.dataDir), 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  }

  /** Stops the server the way an operator's restart does (fast: sessions are terminated), waits, starts it. */
  async restart(downMs = 0): Promise<{ stoppedAt: number; startedAt: number }> {
    await this.pgCtl(['-m', 'fast', '-w', 'stop']);
    const stoppedAt = Date.now();
    if (downMs) await sleep(downMs);
    await this.startServer();
    return { stoppedAt, startedAt: Date.now() };
  }

  /** Terminates every backend connected to `database` (never those of other databases). */
  async terminateBackends(database: string): Promise<number> {
    const pool = this.pool('postgres');
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database],
    );
    return rows[0].n;
  }

  private pool(database: string): Pool {
    const pool = new Pool({ connectionString: `${this.serverUrl}/${database}`, max: 4, connectionTimeoutMillis: 5_000 });
    // Restarts and terminations kill idle clients; the pool replaces them.
    pool.on('error', () => undefined);
    this.pools.push(pool);
    return pool;
  }

  /** A fresh database whose name contains `test`; its `query` survives restarts of the server. */
  async createDatabase(label: string): Promise<TestDatabase> {
    const name = `asyncops_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomSuffix()}`;
    const admin = this.pool('postgres');
    await admin.query(`CREATE DATABASE "${name}"`);
    const pool = this.pool(name);
    return {
      name,
      url: `${this.serverUrl}/${name}`,
      query: async <T>(sql: string, params?: unknown[]) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return (await pool.query(sql, params)).rows as T[];
          } catch (e) {
            // A client the server dropped fails once; the next one is fresh.
            if (attempt >= 3) throw e;
            await sleep(200);
          }
        }
      },
      drop: async () => {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  }

  /** The server's log, for a failing test's message. */
  log(): string {
    const file = path.join(path.dirname(this.dataDir), 'server.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  /** Stops the server (immediately) and removes its directory. */
  async stop(): Promise<void> {
    await Promise.all(this.pools.splice(0).map((p) => p.end().catch(() => undefined)));
    if (existsSync(path.join(this.dataDir, 'postmaster.pid'))) {
      await this.pgCtl(['-m', 'immediate', '-w', 'stop'], 30_000).catch(() => undefined);
    }
    rmSync(path.dirname(this.dataDir), { recursive: true, force: true });
  }
}
