import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ServiceProcess, Stack, startStack } from '@asyncops/testing';
import { Measurement, Scenario } from '../harness';
import { lifecycleWorkload, waitApplied } from './tracker-lifecycle';
import { importThroughGateway, writeVoucherCsv } from './voucher-import';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const IMPORT_ROWS = Number(process.env.BENCH_SCALE_IMPORT_ROWS ?? 200_000);

/** User + system CPU time a process has used so far, in ms (fields 14 and 15 of /proc/PID/stat). */
function cpuMsOf(pid: number | undefined): number {
  if (!pid) throw new Error('service process has no pid');
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1000;
}

/**
 * The same workload with one replica of the consuming service (baseline) and with two (system),
 * interleaved: the second replica is started before each two-replica sample and stopped after
 * it. Reports throughput (ratio = two over one) and units per CPU-second of the consuming
 * service's processes, read from /proc (cpuEfficiencyRatio = two over one). The workload's own
 * check fails the run if any unit was done twice.
 */
function scaleOut(options: {
  name: string;
  unit: string;
  app: ServiceProcess['app'];
  appEnv?: Record<string, string>;
  /** The other apps the workload needs, started once. */
  others: ServiceProcess['app'][];
  work(stack: Stack, run: number): Promise<number>;
}): Scenario {
  let stack: Stack;
  let first: ServiceProcess;
  let run = 0;

  const sample = async (replicas: ServiceProcess[]): Promise<Measurement> => {
    const cpuBefore = replicas.map((r) => cpuMsOf(r.pid));
    const start = performance.now();
    const units = await options.work(stack, ++run);
    const ms = performance.now() - start;
    const cpuMs = replicas.reduce((sum, r, i) => sum + cpuMsOf(r.pid) - cpuBefore[i], 0);
    return { units, ms, cpuMs };
  };

  return {
    name: options.name,
    unit: options.unit,
    async setup() {
      stack = await startStack(`bench_scale_${options.app}`, { apps: options.others, env: { OUTBOX_POLL_MS: '100' }, appEnv: { gateway: { RPC_TIMEOUT_MS: '60000' } } });
      first = await stack.startApp(options.app, options.appEnv);
    },
    async system() {
      const second = await ServiceProcess.start(options.app, { ...stack.env, ...options.appEnv });
      try {
        return await sample([first, second]);
      } finally {
        await second.stop();
      }
    },
    baseline: () => sample([first]),
    async teardown() {
      await stack?.stop();
    },
  };
}

/** Lifecycle events applied per second by one and by two tracker replicas. */
export function scaleOutTrackerScenario(): Scenario {
  return scaleOut({
    name: 'scale-out-tracker-events',
    unit: 'events',
    app: 'tracker',
    appEnv: { CONSUMER_CONCURRENCY: '16' },
    others: [],
    async work(stack) {
      const { ids, events, messages } = lifecycleWorkload();
      await stack.broker.publishMany(messages);
      await waitApplied(stack.db, ids);
      return events;
    },
  });
}

/** Voucher rows imported per second (through the gateway) by one and by two importer replicas. */
export function scaleOutImportScenario(): Scenario {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-scale-import-'));
  return scaleOut({
    name: 'scale-out-voucher-import',
    unit: 'rows',
    app: 'importer',
    // The tracker is started before the importer replicas: startStack starts the gateway last.
    others: ['tracker', 'gateway'],
    async work(stack, run) {
      const file = await writeVoucherCsv(dir, run, IMPORT_ROWS);
      try {
        await importThroughGateway(stack.gateway.url, file, IMPORT_ROWS);
      } finally {
        rmSync(file, { force: true });
      }
      const [row] = await stack.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM importer.voucher WHERE code LIKE $1`, [`R${run}-%`]);
      if (row.n !== IMPORT_ROWS) throw new Error(`run ${run}: ${row.n} vouchers stored for ${IMPORT_ROWS} rows`);
      return IMPORT_ROWS;
    },
  });
}
