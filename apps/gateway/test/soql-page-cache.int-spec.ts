import { randomUUID } from 'node:crypto';
import { OperationEvents } from '@asyncops/contracts';
import { createReadOnlyPool, poolArrayQuery } from '@asyncops/persistence';
import type { QueryPlan } from '@asyncops/soql';
import { salesforceToken, ServiceProcess, Stack, startStack, TestClient, waitFor } from '@asyncops/testing';
import { hashSecret } from '../src/core/auth/secret-hash';
import { SoqlPageCache } from '../src/dialects/salesforce/query/soql-page-cache';
import { SoqlReads } from '../src/dialects/salesforce/query/soql-reads';

const A: TestClient = { id: 'acme-erp', secret: 'acme-secret-1', name: 'Acme ERP' };
const B: TestClient = { id: 'globex-shop', secret: 'globex-secret-2', name: 'Globex' };
const V = '/services/data/v60.0';
const OPERATIONS = 60;

type Page = { totalSize: number; done: boolean; records: Array<Record<string, unknown>>; nextRecordsUrl?: string };

/**
 * SOQL pages kept in the gateway's memory (READ_DATABASE_URL, SOQL_CACHE_*), on the real broker and
 * database: a repeated query is answered from memory with the same bytes, and every change of the
 * owner's records committed before a query began shows in it, whatever made the change (a
 * lifecycle event, a delete through another gateway, FOR VIEW) and however it raced the read that
 * filled the cache; another owner's changes leave the page kept. The tracker deletes change-log
 * rows no kept page can need.
 */
describe('SOQL pages from memory (gateway page cache, tracker change log)', () => {
  jest.setTimeout(240_000);

  let stack: Stack;
  let gateway: ServiceProcess;
  /** A second gateway on the same stack, answering through the owners (no cache). */
  let rpc: ServiceProcess;
  const tokens = new Map<string, string>();
  const operations: string[] = [];

  const token = async (client: TestClient): Promise<string> => {
    const known = tokens.get(client.id);
    if (known) return known;
    const value = await salesforceToken(gateway.url, client);
    tokens.set(client.id, value);
    return value;
  };
  const raw = async (gw: ServiceProcess, soql: string, client: TestClient = A, headers: Record<string, string> = {}) => {
    const res = await fetch(`${gw.url}${V}/query?q=${encodeURIComponent(soql)}`, { headers: { authorization: `Bearer ${await token(client)}`, ...headers } });
    return { status: res.status, text: await res.text(), etag: res.headers.get('etag') };
  };
  const page = async (gw: ServiceProcess, soql: string, client: TestClient = A): Promise<Page> => {
    const answer = await raw(gw, soql, client);
    expect(answer.status).toBe(200);
    return JSON.parse(answer.text) as Page;
  };
  const lookups = async (gw: ServiceProcess): Promise<Record<string, number>> => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    const out: Record<string, number> = { hit: 0, changed: 0, miss: 0 };
    for (const m of text.matchAll(/^asyncops_soql_cache_total\{[^}]*outcome="(\w+)"[^}]*\} (\S+)$/gm)) out[m[1]] = Number(m[2]);
    return out;
  };
  const count = async (sql: string, params: unknown[] = []) => (await stack.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n;
  const submitted = (ownerId: string, correlation: string) => {
    const operationId = randomUUID();
    return { routingKey: OperationEvents.Submitted as string, body: { operationId, occurredAt: new Date().toISOString(), ownerId, jobType: 'PlaceQuote', producer: ownerId, totalJobItems: 1, correlationIdentifier: correlation } };
  };
  const finished = (operationId: string) => ({
    routingKey: OperationEvents.Finished as string,
    body: { operationId, occurredAt: new Date().toISOString(), status: 'Completed' },
  });
  const started = (operationId: string) => ({ routingKey: OperationEvents.Started as string, body: { operationId, occurredAt: new Date().toISOString() } });

  beforeAll(async () => {
    stack = await startStack('soql_cache', { apps: ['tracker', 'gateway'], clients: { list: [A, B], hashSecret }, readDatabase: true });
    gateway = stack.gateway;
    rpc = await stack.startApp('gateway', { ...stack.gatewayEnv, READ_DATABASE_URL: '' });
    const events = Array.from({ length: OPERATIONS }, (_, i) => submitted(A.id, `cache-${String(i).padStart(3, '0')}`));
    operations.push(...events.map((e) => e.body.operationId));
    await stack.broker.publishMany([...events, ...Array.from({ length: 5 }, (_, i) => submitted(B.id, `cache-b-${i}`))]);
    await stack.broker.publishMany(operations.map(started));
    await waitFor('records started', async () => (await count(`tracker.async_operation WHERE correlation_identifier LIKE 'cache-%' AND status = 'InProgress'`)) === OPERATIONS, 60_000, 50);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers a repeated query from memory, with the same bytes and ETag as the first answer', async () => {
    const soql = "SELECT Id, Status, CorrelationIdentifier FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'cache-0%' ORDER BY CorrelationIdentifier";
    const before = await lookups(gateway);
    const first = await raw(gateway, soql);
    const again = await raw(gateway, soql);
    const after = await lookups(gateway);
    expect(first.status).toBe(200);
    expect(again).toEqual(first);
    expect(after.miss - before.miss).toBe(1);
    expect(after.hit - before.hit).toBe(1);
    // The owners' answer, byte for byte.
    expect((await raw(rpc, soql)).text).toBe(first.text);
    // A conditional request for the kept answer is a 304, as for any other.
    const conditional = { 'if-none-match': first.etag as string, 'cache-control': 'max-age=0' };
    expect((await raw(rpc, soql, A, conditional)).status).toBe(304);
    expect((await raw(gateway, soql, A, conditional)).status).toBe(304);
  });

  it('shows every change committed before the query began: one lifecycle event at a time', async () => {
    const soql = "SELECT COUNT() FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'cache-%' AND Status = 'Completed'";
    const listing = "SELECT Id, Status FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'cache-%' ORDER BY CorrelationIdentifier";
    expect((await page(gateway, soql)).totalSize).toBe(0);
    await page(gateway, listing);
    for (let i = 0; i < 10; i++) {
      await stack.broker.publishMany([finished(operations[i])]);
      await waitFor('finish committed', async () => (await count(`tracker.async_operation WHERE correlation_identifier LIKE 'cache-%' AND status = 'Completed'`)) === i + 1, 30_000, 5);
      expect((await page(gateway, soql)).totalSize).toBe(i + 1);
      expect((await page(gateway, listing)).records.filter((r) => r.Status === 'Completed')).toHaveLength(i + 1);
    }
  });

  it('shows a delete made through another gateway in the next query', async () => {
    const soql = "SELECT Id FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'cache-059'";
    const [victim] = (await page(gateway, soql)).records;
    expect((await page(gateway, soql)).records).toHaveLength(1);
    const deleted = await fetch(`${rpc.url}${V}/sobjects/AsyncOperationTracker/${String(victim.Id)}`, { method: 'DELETE', headers: { authorization: `Bearer ${await token(A)}` } });
    expect(deleted.status).toBe(204);
    expect((await page(gateway, soql)).records).toEqual([]);
  });

  it('shows the view dates FOR VIEW set (through the tracker) in the next query', async () => {
    const soql = "SELECT Id, LastViewedDate FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'cache-020'";
    expect((await page(gateway, soql)).records[0].LastViewedDate).toBeNull();
    const viewed = (await page(gateway, `${soql} FOR VIEW`)).records[0];
    expect(viewed.LastViewedDate).toMatch(/^\d{4}-/);
    expect((await page(gateway, soql)).records[0]).toEqual(viewed);
  });

  it('keeps a page when another owner changes, and reads again when its own owner does', async () => {
    const soql = "SELECT Id, Status FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'cache-%' ORDER BY CorrelationIdentifier LIMIT 5";
    await page(gateway, soql);
    const b = submitted(B.id, 'cache-b-late');
    await stack.broker.publishMany([b]);
    await waitFor("B's record stored", async () => (await count(`tracker.async_operation WHERE correlation_identifier = 'cache-b-late'`)) === 1, 30_000, 10);
    const before = await lookups(gateway);
    await page(gateway, soql);
    const after = await lookups(gateway);
    expect(after.hit - before.hit).toBe(1);
    // B's own page sees B's record.
    expect((await page(gateway, "SELECT COUNT() FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'cache-b-%'", B)).totalSize).toBe(6);
    await stack.broker.publishMany([finished(operations[30])]);
    await waitFor('finish committed', async () => (await count(`tracker.async_operation WHERE id = $1 AND status = 'Completed'`, [operations[30]])) === 1, 30_000, 5);
    const changed = await lookups(gateway);
    await page(gateway, soql);
    expect((await lookups(gateway)).changed - changed.changed).toBe(1);
  });

  it('keeps an answer under the snapshot taken before it was read: a change committed during the read makes the next request read again', async () => {
    const pool = createReadOnlyPool({ url: stack.gatewayEnv.READ_DATABASE_URL, max: 2, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000, applicationName: 'soql-cache-test' });
    const reads = new SoqlReads(poolArrayQuery(pool), 1, () => pool.end(), new SoqlPageCache<object>(1 << 20, 60_000));
    const plan = { object: 'AsyncOperationTracker' } as QueryPlan;
    try {
      let readsDone = 0;
      // Each read's answer is a new object; the first read sees a change of A's commit after it (any writer: plain SQL here).
      const read = async () => {
        const answer = { read: ++readsDone };
        if (readsDone === 1) await stack.db.query(`UPDATE tracker.async_operation SET step_name = 'during-read' WHERE id = $1`, [operations[50]]);
        return answer;
      };
      const ask = () => reads.kept(plan, A.id, 'the-key', read, () => true);
      expect(await ask()).toEqual({ read: 1 });
      expect(await ask()).toEqual({ read: 2 });
      expect(await ask()).toEqual({ read: 2 });
      // Another owner's change keeps it; the owner's own does not.
      await stack.db.query(`UPDATE tracker.async_operation SET step_name = 'other-owner' WHERE owner_id = $1`, [B.id]);
      expect(await ask()).toEqual({ read: 2 });
      await stack.db.query(`DELETE FROM tracker.async_operation WHERE id = $1`, [operations[58]]);
      expect(await ask()).toEqual({ read: 3 });
      // A change made and undone by a transaction that rolled back changes nothing.
      await stack.db.query(`BEGIN; UPDATE tracker.async_operation SET step_name = 'rolled-back' WHERE id = '${operations[52]}'; ROLLBACK`);
      expect(await ask()).toEqual({ read: 3 });
      // A record given to another owner: the owner it left reads again too.
      await stack.db.query(`UPDATE tracker.async_operation SET owner_id = $1 WHERE id = $2`, [B.id, operations[52]]);
      expect(await ask()).toEqual({ read: 4 });
      await stack.db.query(`UPDATE tracker.async_operation SET owner_id = $1 WHERE id = $2`, [A.id, operations[52]]);
      expect(await ask()).toEqual({ read: 5 });
      expect(reads.cacheUse().entries).toBe(1);
    } finally {
      await reads.onApplicationShutdown();
    }
  });

  it('leaves no stale page behind when changes race the reads that fill the cache', async () => {
    const soql = "SELECT Id, Status, StepName FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'cache-%' ORDER BY CorrelationIdentifier";
    const counted = "SELECT COUNT() FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'cache-%' AND StepName LIKE 'racing-%'";
    const targets = operations.slice(40, 58);
    for (let round = 0; round < 3; round++) {
      const step = `racing-${round}`;
      let stop = false;
      const pollers = Array.from({ length: 6 }, async () => {
        while (!stop) {
          await page(gateway, soql);
          await page(gateway, counted);
        }
      });
      // One event per message, spread over time, so commits land between and during the pollers' reads.
      for (const operationId of targets) {
        await stack.broker.publishMany([{ routingKey: OperationEvents.StepChanged as string, body: { operationId, occurredAt: new Date().toISOString(), stepName: step } }]);
        await new Promise((r) => setTimeout(r, 3));
      }
      await waitFor('steps committed', async () => (await count(`tracker.async_operation WHERE step_name = $1`, [step])) === targets.length, 30_000, 5);
      stop = true;
      await Promise.all(pollers);
      // Nothing changes any more: a stale page would now be served for as long as it is kept.
      const now = (await page(gateway, soql)).records;
      expect(now.filter((r) => r.StepName === step)).toHaveLength(targets.length);
      expect(now).toEqual((await page(rpc, soql)).records);
    }
    expect((await page(gateway, counted)).totalSize).toBe(targets.length);
  });

  it('takes a TRUNCATE of the operations as a change of every owner', async () => {
    const soql = "SELECT COUNT() FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'cache-%'";
    const before = (await page(gateway, soql)).totalSize;
    expect(before).toBeGreaterThan(0);
    expect((await page(gateway, soql)).totalSize).toBe(before);
    await stack.db.query('TRUNCATE tracker.async_operation CASCADE');
    expect((await page(gateway, soql)).totalSize).toBe(0);
    expect((await page(gateway, soql, B)).totalSize).toBe(0);
  });

  it('records which transactions changed whose records, and the tracker deletes what no kept page can need', async () => {
    expect(await count(`tracker.owner_change WHERE owner_id = $1`, [A.id])).toBeGreaterThan(0);
    expect(await count(`tracker.owner_change WHERE owner_id = $1`, [B.id])).toBeGreaterThan(0);
    expect(await count(`tracker.owner_change WHERE owner_id = '*'`)).toBe(1);
    // A replica that keeps the log for a second: the suite's last step, as the gateway here keeps pages longer.
    const pruner = await stack.startApp('tracker', { OWNER_CHANGE_RETENTION_MS: '1000', SWEEP_INTERVAL_MS: '200' });
    const before = await count(`tracker.owner_change`);
    await stack.broker.publishMany([submitted(A.id, 'cache-prune')]);
    await waitFor('log rows older than the retention deleted', async () => (await count(`tracker.owner_change`)) === 0, 30_000, 100);
    expect(before).toBeGreaterThan(0);
    await pruner.stop();
  });
});
