import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import * as path from 'node:path';

export interface Measurement {
  /** Units of work done in this sample (events, rows, requests). */
  units: number;
  ms: number;
  /** Per-request latencies, when the unit is a request; the result then reports p99s. */
  latenciesMs?: number[];
  /** CPU time (user + system) the service processes spent on this sample; the result then reports units per CPU-second. */
  cpuMs?: number;
  /** Percentiles a load generator computed itself (instead of latenciesMs); the result reports their medians over rounds. */
  percentilesMs?: { p50: number; p99: number };
}

export interface Scenario {
  name: string;
  unit: string;
  /** Measured rounds when BENCH_ROUNDS does not set them; DEFAULT_ROUNDS if left out. */
  rounds?: number;
  setup(): Promise<void>;
  /** The product doing the work end to end. */
  system(round: number): Promise<Measurement>;
  /** The same amount of the same work done the rawest way on the same infrastructure. */
  baseline(round: number): Promise<Measurement>;
  teardown(): Promise<void>;
}

export interface ScenarioResult {
  scenario: string;
  unit: string;
  rounds: number;
  systemPerSecond: number[];
  baselinePerSecond: number[];
  systemMedian: number;
  baselineMedian: number;
  /** system / baseline: 1.0 means as fast as the raw baseline. */
  ratio: number;
  /** Scenario-specific figures, e.g. p99 latencies over all rounds. */
  extra?: Record<string, number>;
}

export const DEFAULT_ROUNDS = 3;

/**
 * A bench's HTTP client: node:http on kept-alive connections (at most `sockets` at once), the body
 * read whole and parsed as JSON, without Accept-Encoding. Not `fetch`, whose streams cost the
 * client two to three times node:http's CPU per request (0.33-0.60 against 0.13-0.24 ms a
 * sequential GET on this machine), which the latency and throughput scenarios then measured as
 * the product's; and uncompressed, as the raw baselines' bytes travel.
 */
export class BenchHttp {
  private readonly agent: Agent;

  constructor(sockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  json<T>(method: string, url: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; body: T; text: string }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(url, { method, agent: this.agent, headers: payload ? { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length) } : headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: (text === '' ? undefined : JSON.parse(text)) as T, text });
          } catch (e) {
            reject(new Error(`${method} ${url} answered ${res.statusCode} with a body that is not JSON: ${(e as Error).message}`));
          }
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `count` calls (numbered from 1) with `concurrency` in flight; returns the wall time and each call's latency. */
export async function timedCalls(count: number, concurrency: number, call: (n: number) => Promise<void>): Promise<{ ms: number; latenciesMs: number[] }> {
  const latenciesMs: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) {
        const t = performance.now();
        await call(next);
        latenciesMs.push(performance.now() - t);
      }
    }),
  );
  return { ms: performance.now() - start, latenciesMs };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const rate = (m: Measurement) => (m.units / m.ms) * 1000;
const percentile = (q: number) => (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * q) - 1))];
};
const p99 = percentile(0.99);
const p50 = percentile(0.5);

/**
 * Runs system and baseline interleaved (A B A B …) so load from the shared machine hits both
 * alike, and reports medians and their ratio.
 */
export async function runScenario(s: Scenario, log: (line: string) => void): Promise<ScenarioResult> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? s.rounds ?? DEFAULT_ROUNDS);
  await s.setup();
  const sys: number[] = [];
  const base: number[] = [];
  const sysLatency: number[] = [];
  const baseLatency: number[] = [];
  const sysPerCpu: number[] = [];
  const basePerCpu: number[] = [];
  const sysPct: Array<{ p50: number; p99: number }> = [];
  const basePct: Array<{ p50: number; p99: number }> = [];
  try {
    // One warm-up pair, discarded: JIT, connection pools and queue creation are not the subject.
    await s.system(-1);
    await s.baseline(-1);
    for (let r = 0; r < rounds; r++) {
      const system = await s.system(r);
      const baseline = await s.baseline(r);
      sys.push(rate(system));
      base.push(rate(baseline));
      sysLatency.push(...(system.latenciesMs ?? []));
      baseLatency.push(...(baseline.latenciesMs ?? []));
      if (system.cpuMs) sysPerCpu.push((system.units / system.cpuMs) * 1000);
      if (baseline.cpuMs) basePerCpu.push((baseline.units / baseline.cpuMs) * 1000);
      if (system.percentilesMs) sysPct.push(system.percentilesMs);
      if (baseline.percentilesMs) basePct.push(baseline.percentilesMs);
      log(`  round ${r + 1}/${rounds}: system ${sys[r].toFixed(0)} ${s.unit}/s, baseline ${base[r].toFixed(0)} ${s.unit}/s`);
    }
  } finally {
    await s.teardown();
  }
  const systemMedian = median(sys);
  const baselineMedian = median(base);
  const ms = (x: number) => Number(x.toFixed(2));
  const extra =
    sysLatency.length && baseLatency.length
      ? { systemP50Ms: ms(p50(sysLatency)), baselineP50Ms: ms(p50(baseLatency)), systemP99Ms: ms(p99(sysLatency)), baselineP99Ms: ms(p99(baseLatency)) }
      : sysPct.length && basePct.length
        ? {
            systemP50Ms: ms(median(sysPct.map((x) => x.p50))),
            baselineP50Ms: ms(median(basePct.map((x) => x.p50))),
            systemP99Ms: ms(median(sysPct.map((x) => x.p99))),
            baselineP99Ms: ms(median(basePct.map((x) => x.p99))),
          }
        : undefined;
  if (extra) log(`  latency p50 / p99: system ${extra.systemP50Ms} / ${extra.systemP99Ms} ms, baseline ${extra.baselineP50Ms} / ${extra.baselineP99Ms} ms`);
  const cpu =
    sysPerCpu.length && basePerCpu.length
      ? {
          systemUnitsPerCpuSecond: Math.round(median(sysPerCpu)),
          baselineUnitsPerCpuSecond: Math.round(median(basePerCpu)),
          cpuEfficiencyRatio: Number((median(sysPerCpu) / median(basePerCpu)).toFixed(3)),
        }
      : undefined;
  if (cpu) log(`  ${s.unit} per CPU-second: system ${cpu.systemUnitsPerCpuSecond}, baseline ${cpu.baselineUnitsPerCpuSecond} (ratio ${cpu.cpuEfficiencyRatio})`);
  return {
    scenario: s.name,
    unit: s.unit,
    rounds,
    systemPerSecond: sys.map((x) => Math.round(x)),
    baselinePerSecond: base.map((x) => Math.round(x)),
    systemMedian: Math.round(systemMedian),
    baselineMedian: Math.round(baselineMedian),
    ratio: Number((systemMedian / baselineMedian).toFixed(3)),
    ...(extra || cpu ? { extra: { ...extra, ...cpu } } : {}),
  };
}

export function writeResults(results: ScenarioResult[], dir: string): string {
  mkdirSync(dir, { recursive: true });
  const doc = { at: new Date().toISOString(), node: process.version, results };
  const file = path.join(dir, `bench-${doc.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(doc, null, 2));
  return file;
}
