import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { OperationEvents } from '@asyncops/contracts';
import { createTestDatabase, readOnlyDatabaseUrl, ServiceProcess, TestBroker, TestDatabase, uniquePrefix, waitFor } from '@asyncops/testing';
import { hashSecret } from '../../../apps/gateway/src/core/auth/secret-hash';
import { BenchHttp, Measurement, Scenario, timedCalls } from '../harness';

const CLIENT = { id: 'bench-client', secret: 'bench-secret' };
const MATCHING = 100;
const OTHERS = 900;
// Rounds of a few hundred milliseconds at least: at 200 requests a round lasted ~0.1 s and one GC pause moved it by a tenth.
const REQUESTS = 1000;
const CONCURRENCY = 8;
const SOQL =
  "SELECT Id, AsyncOperationNumber, Status, JobType, SubmittedAt, TotalJobItems FROM AsyncOperationTracker WHERE Status = 'InProgress' AND JobType = 'PlaceQuote' ORDER BY SubmittedAt DESC LIMIT 100";
const SQL = `SELECT id, async_operation_number, status, job_type, submitted_at, total_job_items FROM tracker.async_operation
  WHERE owner_id = $1 AND status = $2 AND job_type = $3 ORDER BY submitted_at DESC, async_operation_number LIMIT 100`;

/** The aggregate variant: groups by job type and status over the same 1,000 records (3 groups). */
const AGGREGATE_SOQL = 'SELECT JobType, Status, COUNT(Id) n, SUM(TotalJobItems) items, MAX(SubmittedAt) latest FROM AsyncOperationTracker GROUP BY JobType, Status ORDER BY COUNT(Id) DESC';
const AGGREGATE_SQL = `SELECT job_type, status, count(async_operation_number) AS n, sum(total_job_items) AS items, max(submitted_at) AS latest FROM tracker.async_operation
  WHERE owner_id = $1 GROUP BY job_type, status ORDER BY count(async_operation_number) DESC, job_type, status`;
const AGGREGATE_GROUPS = 3;

/**
 * SOQL queries per second through the gateway (token check, SOQL parse and plan, the owners'
 * parameterised SQL run by the gateway on its read-only pool, as docker-compose configures it
 * with READ_DATABASE_URL; Salesforce record formatting) returning 100 records by status and job
 * type, against the same SELECT sent raw with pg. `BENCH_SOQL_RPC=1` measures the path without
 * READ_DATABASE_URL (an RPC over RabbitMQ to the tracker) instead. The `aggregate`
 * variant (`soql-aggregate`) runs a GROUP BY with COUNT/SUM/MAX over the client's records against
 * the same GROUP BY sent raw.
 */
export function soqlQueryScenario(variant: 'rows' | 'aggregate' = 'rows'): Scenario {
  const aggregate = variant === 'aggregate';
  const soql = aggregate ? AGGREGATE_SOQL : SOQL;
  const expected = aggregate ? AGGREGATE_GROUPS : MATCHING;
  let db: TestDatabase;
  let broker: TestBroker;
  let tracker: ServiceProcess;
  let gateway: ServiceProcess;
  let pool: Pool;
  // The same number of kept-alive connections as the baseline's pool (see BenchHttp).
  const http = new BenchHttp(CONCURRENCY);
  let token: string;
  const prefix = uniquePrefix('bench-soql');

  return {
    name: aggregate ? 'soql-aggregate' : 'soql-query',
    unit: 'requests',
    rounds: 5,
    async setup() {
      [db, broker] = await Promise.all([createTestDatabase('bench'), TestBroker.connect(prefix)]);
      const common = { DATABASE_URL: db.url, AMQP_PREFIX: prefix };
      tracker = await ServiceProcess.start('tracker', common);
      gateway = await ServiceProcess.start('gateway', {
        ...common,
        // The product's configured path (docker-compose.yml): SOQL read by the gateway on read-only sessions.
        READ_DATABASE_URL: process.env.BENCH_SOQL_RPC === '1' ? '' : readOnlyDatabaseUrl(db.url),
        AUTH_CLIENTS: JSON.stringify([{ clientId: CLIENT.id, secretHash: await hashSecret(CLIENT.secret), name: 'Bench' }]),
        AUTH_TOKEN_SECRET: 'a-bench-signing-key-that-is-long-enough-1',
        // The subject is the query path, not the limiter: the default 1000/10s would refuse the sixth round.
        RATE_LIMIT_DEFAULT: '100000000/1s',
        RATE_LIMIT_PER_IP: '100000000/1s',
      });
      const res = await fetch(`${gateway.url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.id, client_secret: CLIENT.secret }).toString(),
      });
      token = ((await res.json()) as { access_token: string }).access_token;
      const occurredAt = new Date().toISOString();
      const matching = Array.from({ length: MATCHING }, () => randomUUID());
      const submitted = (operationId: string, jobType: string) => ({
        routingKey: OperationEvents.Submitted as string,
        body: { operationId, occurredAt, ownerId: CLIENT.id, jobType, producer: 'bench', totalJobItems: 10 },
      });
      await broker.publishMany([
        ...matching.map((id) => submitted(id, 'PlaceQuote')),
        ...Array.from({ length: OTHERS }, (_, i) => submitted(randomUUID(), i % 2 ? 'PlaceQuote' : 'PlaceOrder')),
      ]);
      await broker.publishMany(matching.map((operationId) => ({ routingKey: OperationEvents.Started, body: { operationId, occurredAt } })));
      await waitFor(
        'bench data applied',
        async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM tracker.async_operation WHERE status = 'InProgress'"))[0].n === MATCHING,
        120_000,
        100,
      );
      pool = new Pool({ connectionString: db.url, max: CONCURRENCY });
    },
    async system(): Promise<Measurement> {
      const url = `${gateway.url}/services/data/v60.0/query?q=${encodeURIComponent(soql)}`;
      const { ms, latenciesMs } = await timedCalls(REQUESTS, CONCURRENCY, async () => {
        const res = await http.json<{ records: unknown[] }>('GET', url, { authorization: `Bearer ${token}` });
        if (res.status !== 200 || res.body.records.length !== expected) throw new Error(`unexpected answer ${res.status}`);
      });
      return { units: REQUESTS, ms, latenciesMs };
    },
    async baseline(): Promise<Measurement> {
      const { ms, latenciesMs } = await timedCalls(REQUESTS, CONCURRENCY, async () => {
        const { rows } = aggregate ? await pool.query(AGGREGATE_SQL, [CLIENT.id]) : await pool.query(SQL, [CLIENT.id, 'InProgress', 'PlaceQuote']);
        if (rows.length !== expected) throw new Error(`unexpected row count ${rows.length}`);
      });
      return { units: REQUESTS, ms, latenciesMs };
    },
    async teardown() {
      http.close();
      await pool?.end();
      await gateway?.stop();
      await tracker?.stop();
      await broker?.deleteTopology(['tracker.events', 'tracker.rpc', 'tracker.dead-letter-watch']);
      await broker?.close();
      await db?.drop();
    },
  };
}
