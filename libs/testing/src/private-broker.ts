import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as amqp from 'amqplib';
import { randomSuffix } from './env';
import { freePort, sleep, trackHarnessProcess } from './service-process';

const RABBITMQ_BIN = process.env.RABBITMQ_BIN ?? '/usr/lib/rabbitmq/bin';

export interface PrivateBrokerOptions {
  /** Extra rabbitmq.conf lines, e.g. `consumer_timeout = 5000`. */
  config?: string[];
  startTimeoutMs?: number;
}

/**
 * A RabbitMQ node of a test's own: its own node name, ports, data and log directories and no
 * plugin with a port of its own (so no management port can clash), started from the locally installed
 * server. Only the consistent-hash exchange is enabled (the tracker's lifecycle events are
 * partitioned through it; it opens no port). Faults that change a broker's global state (memory alarms, consumer_timeout, users)
 * happen here and never on the shared broker. `stop()` shuts it down and removes its files.
 */
export class PrivateBroker {
  private exited?: Promise<void>;
  private output = '';

  private constructor(
    readonly node: string,
    readonly port: number,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const keep = (b: Buffer) => {
      this.output = (this.output + b.toString('utf8')).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async start(label: string, opts: PrivateBrokerOptions = {}): Promise<PrivateBroker> {
    const dir = mkdtempSync(path.join(tmpdir(), `asyncops-broker-${label}-`));
    const node = `asyncops_${label.replace(/[^a-z0-9]/gi, '_')}_${randomSuffix()}@localhost`;
    const port = await freePort();
    const distPort = await freePort();
    writeFileSync(path.join(dir, 'enabled_plugins'), '[rabbitmq_consistent_hash_exchange].\n');
    writeFileSync(
      path.join(dir, 'rabbitmq.conf'),
      [`listeners.tcp.default = 127.0.0.1:${port}`, 'log.console = false', 'log.file.level = warning', ...(opts.config ?? [])].join('\n') + '\n',
    );
    const child = spawn(path.join(RABBITMQ_BIN, 'rabbitmq-server'), [], {
      env: { ...PrivateBroker.env(dir, node), RABBITMQ_NODE_PORT: String(port), RABBITMQ_DIST_PORT: String(distPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    trackHarnessProcess(child);
    const broker = new PrivateBroker(node, port, dir, child);
    try {
      await broker.waitUntilUp(opts.startTimeoutMs ?? 90_000);
    } catch (e) {
      await broker.stop();
      throw e;
    }
    return broker;
  }

  /** The environment both the server and rabbitmqctl need to find this node and its cookie. */
  private static env(dir: string, node: string): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: dir,
      RABBITMQ_NODENAME: node,
      RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
      RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, 'advanced.config'),
      RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'),
      RABBITMQ_PID_FILE: path.join(dir, 'rabbitmq.pid'),
    };
  }

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  /** Runs `rabbitmqctl -n <node> …` against this node only. */
  ctl(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) =>
      execFile(path.join(RABBITMQ_BIN, 'rabbitmqctl'), ['-n', this.node, ...args], { env: PrivateBroker.env(this.dir, this.node), timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`rabbitmqctl ${args.join(' ')} failed: ${err.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
  }

  /** Raises (or clears) the memory alarm: publishers are blocked while it is raised. */
  async memoryAlarm(raised: boolean): Promise<void> {
    await this.ctl('set_vm_memory_high_watermark', raised ? '0.000001' : '0.4');
  }

  /** Evaluates an Erlang expression on the node, e.g. to change `consumer_timeout`. */
  eval(expression: string): Promise<string> {
    return this.ctl('eval', expression);
  }

  private async waitUntilUp(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`private broker exited during start-up:\n${this.output}`);
      try {
        const conn = await amqp.connect(this.url, { timeout: 2000 });
        await conn.close();
        return;
      } catch {
        await sleep(250);
      }
    }
    throw new Error(`private broker did not start within ${timeoutMs} ms:\n${this.output}`);
  }

  /** Stops the node (the whole process group) and removes its directory. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await within(this.ctl('stop').catch(() => undefined), 20_000);
      await within(this.exited, 5000);
      if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid) {
        try {
          process.kill(-this.child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        await within(this.exited, 5000);
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Waits for `p` at most `ms`, leaving no timer behind. */
async function within(p: Promise<unknown> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
