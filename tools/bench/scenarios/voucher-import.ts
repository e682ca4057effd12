import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { VoucherifyServerSide } from '@voucherify/sdk';
import { createTestDatabase, ServiceProcess, TestBroker, TestDatabase, uniquePrefix, waitFor } from '@asyncops/testing';
import { Measurement, Scenario } from '../harness';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const WARM_UP_ROWS = Math.min(ROWS, 10_000);
const QUEUES = ['tracker.events', 'tracker.rpc', 'tracker.dead-letter-watch', 'importer.rpc', 'importer.commands'];
const HEADER = 'Code,Voucher Type,Value,Discount Type,Category,Start Date,Expiration Date,Redemption Limit,Active,Color';
/** The importer bounds its own memory; BENCH_IMPORTER_NODE_OPTIONS only for experiments. */
const IMPORTER_NODE_OPTIONS: Record<string, string> = process.env.BENCH_IMPORTER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_IMPORTER_NODE_OPTIONS } : {};

const row = (run: number, i: number) => `R${run}-${i},DISCOUNT_VOUCHER,10,PERCENT,bench,2026-01-01T00:00:00Z,2026-12-31T00:00:00Z,5,true,blue`;

/** Writes a voucher CSV of `rows` rows (codes unique per run) and returns its path. */
export async function writeVoucherCsv(dir: string, run: number, rows: number): Promise<string> {
  const file = path.join(dir, `vouchers-${run}.csv`);
  const out = createWriteStream(file);
  out.write(`${HEADER}\n`);
  for (let i = 1; i <= rows; i++) {
    if (!out.write(`${row(run, i)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
}

/** Imports the file through the gateway with @voucherify/sdk and waits for DONE with every row counted once. */
export async function importThroughGateway(gatewayUrl: string, file: string, rows: number): Promise<{ uploadMs: number }> {
  const client = VoucherifyServerSide({ applicationId: 'dev-client', secretKey: 'dev-secret', apiUrl: gatewayUrl, timeoutMs: 0 });
  const start = performance.now();
  const { async_action_id } = (await client.vouchers.importCSV(file)) as { async_action_id: string };
  const uploadMs = performance.now() - start;
  const done = await waitFor(
    'import finished',
    async () => {
      const a = (await client.asyncActions.get(async_action_id)) as unknown as { status: string; result: { done_count: number; message: string } | null };
      if (a.status === 'FAILED') throw new Error(`import failed: ${a.result?.message}`);
      return a.status === 'DONE' ? a : undefined;
    },
    3_600_000,
    250,
  );
  if (done.result?.done_count !== rows) throw new Error(`expected ${rows} rows imported, got ${JSON.stringify(done.result)}`);
  return { uploadMs };
}

/** The importer's own account of its batches (`batch-imported` lines): their count and the seconds of each phase. */
function batchPhases(logs: Array<Record<string, unknown>>): string {
  const batches = logs.filter((l) => l.event === 'batch-imported');
  const sum = (field: string) => (batches.reduce((t, l) => t + (typeof l[field] === 'number' ? (l[field] as number) : 0), 0) / 1000).toFixed(1);
  return `${batches.length} batches: ${sum('ms')} s in batches (reading/staging ${sum('copyMs')} s, existing-key lookup ${sum('checkMs')} s, writing ${sum('mergeMs')} s)`;
}

/** Peak resident set size (VmHWM) of a process, in MB. */
function peakRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * A voucher CSV of BENCH_IMPORT_ROWS rows (default 1,000,000) imported end to end through the
 * gateway with @voucherify/sdk, timed from the upload's start to the async action's DONE: the
 * streamed upload, durable chunk storage, batches of 1,000 validated rows, tracker progress.
 * Units are voucher rows. The baseline streams the same rows into a table of the same shape and
 * indexes with a raw PostgreSQL `COPY … FROM STDIN` (pg-copy-streams), the fastest way in.
 * The importer's peak RSS (VmHWM) is reported as `importerPeakRssMb`.
 */
export function voucherImportScenario(): Scenario {
  let db: TestDatabase;
  let broker: TestBroker;
  const apps: ServiceProcess[] = [];
  let gateway: ServiceProcess;
  let importer: ServiceProcess;
  const prefix = uniquePrefix('bench-import');
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-import-'));

  const scenario: Scenario = {
    name: 'voucher-import',
    unit: 'rows',
    rounds: 1,
    async setup() {
      [db, broker] = await Promise.all([createTestDatabase('bench_import'), TestBroker.connect(prefix)]);
      const env = { DATABASE_URL: db.url, AMQP_PREFIX: prefix, OUTBOX_POLL_MS: '100' };
      const [tracker, started] = await Promise.all([ServiceProcess.start('tracker', env), ServiceProcess.start('importer', { ...env, ...IMPORTER_NODE_OPTIONS })]);
      importer = started;
      apps.push(tracker, importer);
      // No AUTH_CLIENTS outside production: the gateway's development client, as X-App-Id / X-App-Token.
      gateway = await ServiceProcess.start('gateway', { ...env, AUTH_TOKEN_SECRET: 'a-bench-signing-key-that-is-long-enough-1', RPC_TIMEOUT_MS: '60000' });
      apps.push(gateway);
      await db.query(`CREATE TABLE public.bench_voucher (LIKE importer.voucher INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`);
    },
    async system(round: number): Promise<Measurement> {
      const rows = round < 0 ? WARM_UP_ROWS : ROWS;
      const file = await writeVoucherCsv(dir, round + 1, rows);
      const logsBefore = importer.logs.length;
      const start = performance.now();
      const { uploadMs } = await importThroughGateway(gateway.url, file, rows);
      const ms = performance.now() - start;
      rmSync(file, { force: true });
      // The harness records rates only; the memory bound and where the batches' time went are printed beside each round's line.
      process.stdout.write(
        `  ${rows} rows in ${(ms / 1000).toFixed(1)} s (upload ${(uploadMs / 1000).toFixed(1)} s); ${batchPhases(importer.logs.slice(logsBefore))}; importer peak RSS (VmHWM) so far: ${peakRssMb(importer.pid).toFixed(0)} MB\n`,
      );
      return { units: rows, ms };
    },
    async baseline(round: number): Promise<Measurement> {
      const rows = round < 0 ? WARM_UP_ROWS : ROWS;
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        const start = performance.now();
        const copy = client.query(
          copyFrom(
            `COPY public.bench_voucher ("owner_id", "code", "type", "discount_type", "discount_value", "category", "start_date", "expiration_date", "redemption_limit", "active", "metadata")
             FROM STDIN WITH (FORMAT csv)`,
          ),
        );
        const source = Readable.from(
          (function* () {
            for (let i = 1; i <= rows; i += 1000) {
              let chunk = '';
              for (let k = i; k < Math.min(i + 1000, rows + 1); k++) {
                chunk += `bench,B${round + 1}-${k},DISCOUNT_VOUCHER,PERCENT,10,bench,2026-01-01T00:00:00Z,2026-12-31T00:00:00Z,5,true,"{""Color"":""blue""}"\n`;
              }
              yield chunk;
            }
          })(),
        );
        await pipeline(source, copy);
        return { units: rows, ms: performance.now() - start };
      } finally {
        await client.end();
      }
    },
    async teardown() {
      await Promise.all(apps.map((a) => a.stop()));
      await broker?.deleteTopology(QUEUES);
      await broker?.close();
      await db?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return scenario;
}
