import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ServiceProcess, Stack, startStack, waitFor } from '@asyncops/testing';
import { Measurement, Scenario } from '../harness';
import { lifecycleWorkload, waitApplied } from './tracker-lifecycle';
import { importThroughGateway, writeVoucherCsv } from './voucher-import';

/** apps/tracker/src/queues.ts TRACKER_EVENT_PARTITIONS.count. */
const TRACKER_EVENT_PARTITIONS = 16;
/** Unmeasured workloads a newly started replica set runs before its sample (`warmUp`). */
const WARM_UP_RUNS = Number(process.env.BENCH_SCALE_WARMUP ?? 3);
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const IMPORT_ROWS = Number(process.env.BENCH_SCALE_IMPORT_ROWS ?? 200_000);
/**
 * Imports running at once. One import is a chain of batches that each continue from the previous
 * one's byte cursor (that is what makes it resumable and its failures exact), so a second replica
 * can only help when there is more than one import to work on: replicas scale the number of
 * imports in flight, not the speed of a single one.
 */
const CONCURRENT_IMPORTS = Number(process.env.BENCH_SCALE_IMPORTS ?? 4);
if (!Number.isInteger(CONCURRENT_IMPORTS) || CONCURRENT_IMPORTS < 1 || CONCURRENT_IMPORTS > 9) {
  throw new Error('BENCH_SCALE_IMPORTS must be a whole number from 1 to 9');
}

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
  /**
   * Unmeasured work run by a replica set before its sample: a process started a second earlier
   * still compiles and optimises its hot paths, which a long-running replica does not pay. Only
   * where one sample is short enough for that to weigh (seconds of work).
   */
  warmUp?: boolean;
  /** Waits until the replicas share the work as they will in steady state (e.g. partitions assigned). */
  settled?(stack: Stack, replicas: ServiceProcess[]): Promise<void>;
}): Scenario {
  let stack: Stack;
  let first: ServiceProcess;
  let run = 0;

  const sample = async (replicas: ServiceProcess[]): Promise<Measurement> => {
    await options.settled?.(stack, replicas);
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
      if (options.warmUp) for (let i = 0; i < WARM_UP_RUNS; i++) await options.work(stack, ++run);
    },
    async system() {
      const second = await ServiceProcess.start(options.app, { ...stack.env, ...options.appEnv });
      try {
        if (options.warmUp) {
          await options.settled?.(stack, [first, second]);
          for (let i = 0; i < WARM_UP_RUNS; i++) await options.work(stack, ++run);
        }
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

/**
 * Operations per tracker-events sample (`BENCH_SCALE_OPERATIONS`, 400: 20,000 events, 50 each). At
 * 100 a sample was ~1 s of work, short enough for the machine's other work and a batch's start and
 * end to swing one replica's events per CPU-second by a third between runs of the same code
 * (11,000-16,700); at 400 the runs agree within ~12 %.
 */
const SCALE_OPERATIONS = Number(process.env.BENCH_SCALE_OPERATIONS ?? 400);

/** Lifecycle events applied per second by one and by two tracker replicas. */
export function scaleOutTrackerScenario(): Scenario {
  return scaleOut({
    name: 'scale-out-tracker-events',
    unit: 'events',
    app: 'tracker',
    appEnv: { CONSUMER_CONCURRENCY: '16' },
    others: [],
    warmUp: process.env.BENCH_SCALE_COLD !== '1',
    // The replicas' partitions leased as in steady state: a replica that just started, or the
    // one left after the second stopped, takes its share within a lease round.
    async settled(stack, replicas) {
      const pids = new Set(replicas.map((r) => r.pid));
      await waitFor(
        `lifecycle-event partitions shared by ${replicas.length} replicas`,
        async () => {
          const rows = await stack.db.query<{ owner: string }>("SELECT owner FROM tracker.partition_lease WHERE queue = 'tracker.events' AND owner IS NOT NULL AND expires_at > now()");
          const owners = rows.map((r) => Number(r.owner.split('-').at(-2)));
          return (rows.length === TRACKER_EVENT_PARTITIONS && owners.every((pid) => pids.has(pid)) && new Set(owners).size === replicas.length) || undefined;
        },
        30_000,
        50,
      );
    },
    async work(stack) {
      const { ids, events, messages } = lifecycleWorkload(SCALE_OPERATIONS);
      await stack.broker.publishMany(messages);
      await waitApplied(stack.db, ids);
      return events;
    },
  });
}

/**
 * Voucher rows imported per second (through the gateway) by one and by two importer replicas,
 * BENCH_SCALE_IMPORTS imports (default 4) of BENCH_SCALE_IMPORT_ROWS rows in all at once.
 */
export function scaleOutImportScenario(): Scenario {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-scale-import-'));
  const rowsEach = Math.ceil(IMPORT_ROWS / CONCURRENT_IMPORTS);
  return scaleOut({
    name: 'scale-out-voucher-import',
    unit: 'rows',
    app: 'importer',
    // The tracker is started before the importer replicas: startStack starts the gateway last.
    others: ['tracker', 'gateway'],
    async work(stack, run) {
      // Codes are unique per run and per import: R<run><k>-<i>, k one digit.
      const runs = Array.from({ length: CONCURRENT_IMPORTS }, (_, k) => run * 10 + k);
      const files = await Promise.all(runs.map((r) => writeVoucherCsv(dir, r, rowsEach)));
      try {
        await Promise.all(files.map((file) => importThroughGateway(stack.gateway.url, file, rowsEach)));
      } finally {
        for (const file of files) rmSync(file, { force: true });
      }
      for (const r of runs) {
        const [row] = await stack.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM importer.voucher WHERE code LIKE $1`, [`R${r}-%`]);
        if (row.n !== rowsEach) throw new Error(`run ${r}: ${row.n} vouchers stored for ${rowsEach} rows`);
      }
      return rowsEach * CONCURRENT_IMPORTS;
    },
  });
}
