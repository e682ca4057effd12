import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = path.resolve(__dirname, '../../..');

/** Newest modification time of the TypeScript sources below `dir`, specs aside (0 when there are none). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const compiled = new Map<string, string | undefined>();

/**
 * The app's compiled entry point when `npm run build:apps` has built it after the last change to
 * any of its sources or the libraries', else undefined (the app then starts from source). Starting
 * from dist/ costs ~1.5 s of CPU against ~6 s compiling with ts-node, and suites start hundreds of
 * processes.
 */
function compiledEntry(app: string): string | undefined {
  if (!compiled.has(app)) {
    const main = path.join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
    let entry: string | undefined;
    if (existsSync(main)) {
      const built = statSync(main).mtimeMs;
      const sources = [path.join(ROOT, 'apps', app, 'src'), ...readdirSync(path.join(ROOT, 'libs')).filter((lib) => lib !== 'testing').map((lib) => path.join(ROOT, 'libs', lib, 'src'))];
      if (sources.every((dir) => !existsSync(dir) || newestSource(dir) <= built)) entry = main;
    }
    compiled.set(app, entry);
  }
  return compiled.get(app);
}

export interface LogLine {
  level: string;
  msg?: string;
  event?: string;
  [key: string]: unknown;
}

/** Processes the harness started and that are still running: killed if a teardown hangs. */
const running = new Set<ChildProcess>();

/** SIGKILLs every child process the harness started that is still running; returns how many. */
export function killLeftoverProcesses(): number {
  let n = 0;
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) {
      n++;
      try {
        if (child.pid) process.kill(child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  running.clear();
  return n;
}

/** Lets other harness helpers (private brokers) register their processes for the same clean-up. */
export function trackHarnessProcess(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * One app of the product running as its own OS process, exactly as it starts in production (same
 * main.ts, compiled in dist/ when that build is current, else from source), so tests can SIGKILL
 * it, restart it and run replicas side by side.
 */
export class ServiceProcess {
  readonly logs: LogLine[] = [];
  private child?: ChildProcess;
  private exited?: Promise<number | null>;

  constructor(
    readonly app: 'gateway' | 'tracker' | 'order-placement' | 'importer',
    readonly env: Record<string, string>,
    readonly port: number,
  ) {}

  /** `timeoutMs` bounds start-up (compiling from source); suites that start the whole stack on a busy machine give it more. */
  static async start(app: ServiceProcess['app'], env: Record<string, string>, timeoutMs?: number): Promise<ServiceProcess> {
    const s = new ServiceProcess(app, env, await freePort());
    await s.start(timeoutMs);
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The OS process id of the running app (benchmarks read its memory from /proc). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const entry = compiledEntry(this.app);
    // Extra node flags for profiling a run (`SERVICE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'`): NODE_OPTIONS refuses some of them.
    const nodeArgs = (process.env.SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(
      process.execPath,
      [...nodeArgs, ...(entry
        ? ['-r', path.join(ROOT, 'tools', 'register-paths.js'), '--enable-source-maps', entry]
        : ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', path.join(ROOT, 'apps', this.app, 'src', 'main.ts')])],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ...this.env, PORT: String(this.port), TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    trackHarnessProcess(child);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const onLine = (line: string) => {
      try {
        this.logs.push(JSON.parse(line) as LogLine);
      } catch {
        this.logs.push({ level: 'raw', msg: line });
      }
    };
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', onLine);
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', onLine);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${this.app} exited during start-up:\n${this.tail()}`);
      if (this.logs.some((l) => l.event === 'listening')) {
        await this.waitReady(deadline);
        return;
      }
      await sleep(100);
    }
    throw new Error(`${this.app} did not start within ${timeoutMs} ms:\n${this.tail()}`);
  }

  private async waitReady(deadline: number): Promise<void> {
    while (Date.now() < deadline) {
      const res = await fetch(`${this.url}/health/ready`).catch(() => undefined);
      if (res?.ok) return;
      await sleep(100);
    }
    throw new Error(`${this.app} never became ready:\n${this.tail()}`);
  }

  tail(n = 40): string {
    return this.logs
      .slice(-n)
      .map((l) => JSON.stringify(l))
      .join('\n');
  }

  /** Whether the child has ended, by exiting or by a signal (then exitCode is null). */
  get hasExited(): boolean {
    return !this.child || this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** SIGKILL: no shutdown hooks, no acks, no flushes. */
  async kill(): Promise<void> {
    if (this.hasExited) return;
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGSTOP / SIGCONT: the process is frozen (no heartbeats, no acks) and later resumed. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** SIGTERM: the graceful path. Returns the exit code (null when it died of a signal). */
  async stop(timeoutMs = 20_000): Promise<number | null> {
    if (!this.child || this.hasExited) return this.child?.exitCode ?? null;
    // A frozen process would never see SIGTERM.
    this.child.kill('SIGCONT');
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(t);
    return code ?? null;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` returns a truthy value, or fails with `what` after the timeout. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
