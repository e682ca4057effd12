import 'reflect-metadata';
import { SoqlQueryRequest } from '@asyncops/contracts';
import { loadConfig } from '@asyncops/platform';
import { planSoql, PlannerContext, QueryPlan } from '@asyncops/soql';
import { GatewayConfig } from '../../../config';
import { BadRequestError, ServiceUnavailableError } from '../../../core/errors/gateway-errors';
import { SOQL_OBJECTS_STORED, SoqlReads } from './soql-reads';
import { SoqlPages } from './soql-pages';
import { SoqlPageCache } from './soql-page-cache';
import type { SalesforceTrackerClient } from '../salesforce-tracker.client';
import type { OrderSummariesClient } from '../order-summaries/order-summaries.client';
import type { SalesforceCallers } from '../records/caller';
import type { TokenService } from '../../../core/auth/token.service';

const caller: PlannerContext = { ownerId: 'shop', ownerRecordId: '005000000000001AAA', ownerName: 'Shop', now: new Date('2030-01-02T03:04:05Z') };
const OBJECTS = SOQL_OBJECTS_STORED.map((o) => o.description);
const planOf = (soql: string): QueryPlan => planSoql(soql, OBJECTS, caller).plan;
const request = (plan: QueryPlan, extra: Partial<SoqlQueryRequest> = {}): SoqlQueryRequest => ({ ownerId: 'shop', plan, pageOffset: 0, pageSize: 2000, withTotal: true, ...extra });

/** Statements sent to the read database, answered by `answer`. */
function fakeDatabase(answer: (sql: string) => unknown[][] = () => []) {
  const statements: Array<{ sql: string; values: unknown[] }> = [];
  const run = jest.fn(async (sql: string, values: unknown[]) => {
    statements.push({ sql, values });
    return answer(sql);
  });
  return { run, statements };
}

describe('SoqlReads', () => {
  it('answers nothing without READ_DATABASE_URL: every page goes to the owner', () => {
    const reads = SoqlReads.fromConfig(loadConfig('gateway', GatewayConfig, {}));
    expect(reads.answers(planOf('SELECT Id FROM AsyncOperationTracker'))).toBe(false);
  });

  it('answers reads of every SOQL object, but never FOR VIEW (it writes view dates, in the owner)', () => {
    const reads = new SoqlReads(fakeDatabase().run, 2);
    expect(reads.answers(planOf('SELECT Id FROM AsyncOperationTracker'))).toBe(true);
    expect(reads.answers(planOf('SELECT Id FROM OrderSummary'))).toBe(true);
    expect(reads.answers(planOf('SELECT Id FROM PendingOrderSummary'))).toBe(true);
    expect(reads.answers(planOf('SELECT Status, COUNT(Id) FROM AsyncOperationTracker GROUP BY Status'))).toBe(true);
    expect(reads.answers(planOf('SELECT Id FROM AsyncOperationTracker FOR VIEW'))).toBe(false);
  });

  it("runs the owner's statement, scoped to the asking owner, in the tracker's and order-placement's schemas", async () => {
    const answers = [[['7', 'InProgress', '3', '7']]];
    const db = fakeDatabase(() => answers.shift() ?? []);
    const reads = new SoqlReads(db.run, 2);
    const page = await reads.page(request(planOf("SELECT Status FROM AsyncOperationTracker WHERE Status = 'InProgress'")));
    expect(page).toEqual({ rows: [[7, 'InProgress']], relationships: [], totalSize: 3, snapshot: 7 });
    expect(db.statements[0].sql).toContain('"tracker"."async_operation"');
    expect(db.statements[0].values).toContain('shop');
    await reads.page(request(planOf('SELECT Id FROM OrderSummary')));
    expect(db.statements[1].sql).toContain('"order_placement"."order_summary"');
    expect(db.statements[1].values[0]).toBe('shop');
    expect(db.statements.every((s) => /^\s*(SELECT|WITH)\b/i.test(s.sql))).toBe(true);
  });

  it('refuses what the owner would refuse with a 400 (the owner answers INVALID_REQUEST)', async () => {
    const reads = new SoqlReads(fakeDatabase().run, 2);
    await expect(reads.page(request({ ...planOf('SELECT Id FROM AsyncOperationTracker'), object: 'Account' }))).rejects.toBeInstanceOf(BadRequestError);
  });

  it('answers a database that cannot answer as a 503 with Retry-After, as an unreachable owner', async () => {
    const reads = new SoqlReads(
      jest.fn(async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      }),
      7,
    );
    const error = await reads.page(request(planOf('SELECT Id FROM AsyncOperationTracker'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).headers).toEqual({ 'Retry-After': '7' });
  });

  it('closes its pool when the application shuts down', async () => {
    const close = jest.fn(async () => undefined);
    await new SoqlReads(fakeDatabase().run, 2, close).onApplicationShutdown();
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe('SoqlPages with a read database', () => {
  const tracker = { query: jest.fn(async () => ({ rows: [], relationships: [], totalSize: 0, snapshot: 0 })) };
  const orders = { query: jest.fn(async () => ({ rows: [], relationships: [], totalSize: 0, snapshot: 0 })) };
  const callers = { of: (clientId: string, now: Date) => ({ ...caller, ownerId: clientId, now }) };
  const tokens = { mac: (data: string) => `mac(${data.length})` };
  const config = loadConfig('gateway', GatewayConfig, {});
  const pagesWith = (reads: SoqlReads) =>
    new SoqlPages(tracker as unknown as SalesforceTrackerClient, callers as unknown as SalesforceCallers, tokens as unknown as TokenService, orders as unknown as OrderSummariesClient, config, reads);

  beforeEach(() => jest.clearAllMocks());

  it('reads pages itself, asking no service', async () => {
    const db = fakeDatabase(() => [['1', '1', '1', '1']]);
    const pages = pagesWith(new SoqlReads(db.run, 2));
    await pages.first('60.0', 'SELECT Id FROM AsyncOperationTracker', false, undefined, 'shop').run();
    await pages.first('60.0', 'SELECT Id FROM PendingOrderSummary', false, undefined, 'shop').run();
    expect(db.run).toHaveBeenCalledTimes(2);
    expect(tracker.query).not.toHaveBeenCalled();
    expect(orders.query).not.toHaveBeenCalled();
  });

  it('leaves FOR VIEW to the tracker, which writes the view dates', async () => {
    const db = fakeDatabase();
    const pages = pagesWith(new SoqlReads(db.run, 2));
    await pages.first('60.0', 'SELECT Id FROM AsyncOperationTracker FOR VIEW', false, undefined, 'shop').run();
    expect(tracker.query).toHaveBeenCalledTimes(1);
    expect(db.run).not.toHaveBeenCalled();
  });

  it('asks the owners as before without one', async () => {
    const pages = pagesWith(new SoqlReads(undefined, 2));
    await pages.first('60.0', 'SELECT Id FROM AsyncOperationTracker', false, undefined, 'shop').run();
    await pages.first('60.0', 'SELECT Id FROM OrderSummary', false, undefined, 'shop').run();
    expect(tracker.query).toHaveBeenCalledTimes(1);
    expect(orders.query).toHaveBeenCalledTimes(1);
  });

  describe('kept answers', () => {
    const plan = planOf('SELECT Id FROM AsyncOperationTracker');

    it('keeps only objects with a change log, and only with the cache on', () => {
      const on = new SoqlReads(fakeDatabase().run, 2, undefined, new SoqlPageCache<object>(1 << 20, 60_000));
      expect(on.keeps(plan)).toBe(true);
      expect(on.keeps(planOf('SELECT Id FROM OrderSummary'))).toBe(false);
      expect(on.keeps(planOf('SELECT Id FROM AsyncOperationTracker FOR VIEW'))).toBe(false);
      expect(new SoqlReads(fakeDatabase().run, 2).keeps(plan)).toBe(false);
    });

    it('answers a fresh read and keeps nothing when the check fails (a missing change log, a refused SELECT)', async () => {
      const db = fakeDatabase((sql) => {
        if (sql.includes('pg_visible_in_snapshot')) throw new Error('permission denied for table owner_change');
        return [];
      });
      const reads = new SoqlReads(db.run, 2, undefined, new SoqlPageCache<object>(1 << 20, 60_000));
      let n = 0;
      const read = async () => ({ read: ++n });
      expect(await reads.kept(plan, 'shop', 'k', read, () => true)).toEqual({ read: 1 });
      expect(await reads.kept(plan, 'shop', 'k', read, () => true)).toEqual({ read: 2 });
      expect(reads.cacheUse().entries).toBe(0);
    });

    it('gives a kept answer only when its check says nothing changed', async () => {
      let changed = false;
      const db = fakeDatabase((sql) => (sql.includes('pg_visible_in_snapshot') ? [['20:20:', '1', changed]] : []));
      const reads = new SoqlReads(db.run, 2, undefined, new SoqlPageCache<object>(1 << 20, 60_000));
      let n = 0;
      const read = async () => ({ read: ++n });
      expect(await reads.kept(plan, 'shop', 'k', read, () => true)).toEqual({ read: 1 });
      expect(await reads.kept(plan, 'shop', 'k', read, () => true)).toEqual({ read: 1 });
      changed = true;
      expect(await reads.kept(plan, 'shop', 'k', read, () => true)).toEqual({ read: 2 });
      // The check carried the kept snapshot and the owner.
      expect(db.statements[2].values).toEqual([['shop'], ['20:20:']]);
      // An answer not worth keeping (a page with a locator) replaces nothing and is not kept.
      expect(await reads.kept(plan, 'shop', 'k', read, () => false)).toEqual({ read: 3 });
      expect(reads.cacheUse().entries).toBe(0);
    });
  });
});
