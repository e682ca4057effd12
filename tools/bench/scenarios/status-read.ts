import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort, ServiceProcess, Stack, startStack } from '@asyncops/testing';
import { Measurement, Scenario } from '../harness';

// autocannon ships no types; the part used here.
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;
interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  non2xx: number;
  errors: number;
}

const SECONDS = Number(process.env.BENCH_STATUS_SECONDS ?? 10);
const CONNECTIONS = 50;

/** A bare Node HTTP server answering every request with the same JSON body (the baseline). */
const BARE_SERVER = `
const body = Buffer.from(process.env.BODY);
require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

/**
 * Status reads as a polling client does them: `GET /api/v1/operations/{id}` with a bearer token,
 * 50 connections for BENCH_STATUS_SECONDS (10) per round, by autocannon, against a bare Node HTTP
 * server (started by the bench, in its own process) answering a body of the same size. Units are
 * requests; the result carries the medians over rounds of autocannon's p50/p99.
 */
export function statusReadScenario(): Scenario {
  let stack: Stack;
  let gateway: ServiceProcess;
  let bare: ChildProcess;
  let bareUrl: string;
  let token: string;
  let operationPath: string;

  async function load(url: string, headers: Record<string, string>, seconds: number): Promise<Measurement> {
    const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers });
    if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
    return { units: r.requests.total, ms: seconds * 1000, percentilesMs: { p50: r.latency.p50, p99: r.latency.p99 } };
  }

  return {
    name: 'status-read',
    unit: 'requests',
    async setup() {
      stack = await startStack('bench_status', { apps: ['tracker', 'gateway'], env: { OUTBOX_POLL_MS: '250' }, appEnv: { gateway: { RATE_LIMIT_DEFAULT: '100000000/1s', RATE_LIMIT_PER_IP: '100000000/1s' } } });
      ({ gateway } = stack);
      token = await stack.token();
      const created = await fetch(`${gateway.url}/api/v1/operations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ jobType: 'PlaceOrder', totalJobItems: 3 }),
      });
      if (created.status !== 201) throw new Error(`creating the operation answered ${created.status}: ${await created.text()}`);
      operationPath = new URL(created.headers.get('location') as string, gateway.url).pathname;
      const body = await (await fetch(`${gateway.url}${operationPath}`, { headers: { authorization: `Bearer ${token}` } })).text();
      const port = await freePort();
      const server = spawn(process.execPath, ['-e', BARE_SERVER], { env: { ...process.env, PORT: String(port), BODY: body }, stdio: ['ignore', 'pipe', 'inherit'] });
      bare = server;
      await once(server.stdout, 'data');
      bareUrl = `http://127.0.0.1:${port}${operationPath}`;
    },
    async system(round) {
      const measured = await load(`${gateway.url}${operationPath}`, { authorization: `Bearer ${token}` }, round < 0 ? 2 : SECONDS);
      // The harness keeps every line the gateway logs (one access-log line per read, tens of
      // thousands a round); dropped here so the bench process (autocannon's too) does not carry
      // them into the baseline's measurement.
      gateway.logs.length = 0;
      return measured;
    },
    baseline: (round) => load(bareUrl, { authorization: `Bearer ${token}` }, round < 0 ? 2 : SECONDS),
    async teardown() {
      bare?.kill();
      await stack?.stop();
    },
  };
}
