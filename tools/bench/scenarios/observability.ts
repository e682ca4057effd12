import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { httpMetricsMiddleware, initMetrics, JsonLogger, runWithCorrelationId } from '@asyncops/platform';
import { Measurement, Scenario, timedCalls } from '../harness';

const LINES = 20_000;
const REQUESTS = 2_000;
const CONCURRENCY = 8;

/**
 * Structured log lines per second through the product's logger (pino, redaction, correlation id,
 * context), against the same fields serialised with a bare JSON.stringify, as the hand-written
 * logger did. Both write to a sink that drops the line, so only the logger is measured.
 */
export function logLinesScenario(): Scenario {
  let sink = 0;
  const write = (line: string) => {
    sink += line.length;
  };
  const logger = new JsonLogger('bench', 'info', write);
  const fields = (i: number) => ({ msg: 'batch committed', event: 'batch-committed', operationId: '7d1f7c3e-2b4a-4f7e-9c1d-3a5b6c7d8e9f', batch: i, count: 200, headers: { authorization: 'Bearer x' } });
  return {
    name: 'log-lines',
    unit: 'lines',
    rounds: 7,
    setup: async () => undefined,
    system: async () =>
      runWithCorrelationId('bench-correlation', () => {
        const start = performance.now();
        for (let i = 0; i < LINES; i++) logger.log(fields(i), 'Worker');
        return { units: LINES, ms: performance.now() - start };
      }),
    baseline: async () =>
      runWithCorrelationId('bench-correlation', () => {
        const start = performance.now();
        for (let i = 0; i < LINES; i++) {
          write(JSON.stringify({ time: new Date().toISOString(), level: 'info', service: 'bench', context: 'Worker', correlationId: 'bench-correlation', ...fields(i) }));
        }
        return { units: LINES, ms: performance.now() - start };
      }),
    teardown: async () => {
      if (sink < 0) throw new Error('unreachable');
    },
  };
}

/**
 * HTTP requests per second to an Express route with the metrics middleware (a histogram
 * observation by route template and status per request) against the same app without it.
 */
export function httpMetricsScenario(): Scenario {
  const servers: Server[] = [];
  let withMetrics = '';
  let without = '';
  const app = (metrics: boolean) => {
    const a = express();
    if (metrics) a.use(httpMetricsMiddleware);
    a.get('/api/v1/operations/:id', (req, res) => void res.json({ id: req.params.id, status: 'InProgress' }));
    const server = a.listen(0, '127.0.0.1');
    servers.push(server);
    return new Promise<string>((resolve) => server.once('listening', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  };
  const run = async (base: string): Promise<Measurement> => {
    const { ms, latenciesMs } = await timedCalls(REQUESTS, CONCURRENCY, async (n) => {
      await (await fetch(`${base}/api/v1/operations/${n}`)).arrayBuffer();
    });
    return { units: REQUESTS, ms, latenciesMs };
  };
  return {
    name: 'http-metrics',
    unit: 'requests',
    rounds: 7,
    setup: async () => {
      initMetrics('bench');
      [withMetrics, without] = await Promise.all([app(true), app(false)]);
    },
    system: () => run(withMetrics),
    baseline: () => run(without),
    teardown: async () => {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}
