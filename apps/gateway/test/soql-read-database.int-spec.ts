import { randomUUID } from 'node:crypto';
import { OperationEvents } from '@asyncops/contracts';
import { readOnlyDatabaseUrl, salesforceToken, ServiceProcess, Stack, startStack, TEST_PG_SERVER, TestClient, waitFor } from '@asyncops/testing';
import { hashSecret } from '../src/core/auth/secret-hash';

const A: TestClient = { id: 'acme-erp', secret: 'acme-secret-1', name: 'Acme ERP' };
const B: TestClient = { id: 'globex-shop', secret: 'globex-secret-2', name: 'Globex' };
const V = '/services/data/v60.0';
/** Tracker records of each owner, told apart from the ones conversions report by their correlation id. */
const A_OPERATIONS = 450;
const B_OPERATIONS = 40;
const A_ORDERS = 12;
const B_ORDERS = 5;
/** Orders whose payload conversion refuses: they stay PendingOrderSummary records. */
const A_STUCK = 4;
const B_STUCK = 2;

type Page = { totalSize: number; done: boolean; records: Array<Record<string, unknown>>; nextRecordsUrl?: string };
type Answer = { status: number; body: unknown; retryAfter: string | null };

/** A 2-line order; `stuck` ones carry no items, which conversion refuses, so they stay pending. */
function order(ref: string, i: number, stuck: boolean): Record<string, unknown> {
  const items = stuck ? [] : [{ sku: 'SKU-1', quantity: 1 + (i % 3), unitPrice: '2.50', description: 'line' }, { sku: 'SKU-2', quantity: 1, unitPrice: '7.25', description: 'line' }];
  return {
    ExternalReferenceIdentifier: ref,
    OrderNumber: `ON-${i}`,
    OrderedDate: '2026-11-24T10:00:00.000Z',
    ShopperName: `Shopper ${i % 3}`,
    BillingEmailAddress: `shopper${i % 3}@example.com`,
    BillingPhoneNumber: '+1 555 0100',
    CurrencyIsoCode: 'EUR',
    GrandTotalAmount: `${100 + i}.50`,
    PayloadType: 'JSON_RAW',
    Payload: JSON.stringify({ orderItems: items }),
  };
}

/**
 * SOQL read by the gateway from the owners' tables (READ_DATABASE_URL, read-only sessions) against
 * the same queries answered by the owners over RabbitMQ: a second gateway on the same stack without
 * READ_DATABASE_URL. Same records, pages, totals, aggregates and refusals; another owner's rows
 * never show; what a lifecycle event or a write through the gateway changed shows in the next
 * query; FOR VIEW still goes to the tracker, which writes the view dates; a read database that
 * cannot answer is a Salesforce-shaped 503, not a crash.
 */
describe('SOQL from the read database (gateway with READ_DATABASE_URL) against the owners over RPC', () => {
  jest.setTimeout(240_000);

  let stack: Stack;
  let direct: ServiceProcess;
  let rpc: ServiceProcess;
  const tokens = new Map<string, string>();

  const token = async (client: TestClient): Promise<string> => {
    const cached = tokens.get(client.id);
    if (cached) return cached;
    const value = await salesforceToken(direct.url, client);
    tokens.set(client.id, value);
    return value;
  };
  const get = async (gw: ServiceProcess, path: string, client: TestClient = A, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${await token(client)}`, ...headers } });
    return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') };
  };
  const query = (soql: string) => `${V}/query?q=${encodeURIComponent(soql)}`;
  const page = async (gw: ServiceProcess, soql: string, client: TestClient = A): Promise<Page> => {
    const answer = await get(gw, query(soql), client);
    expect(answer.status).toBe(200);
    return answer.body as Page;
  };
  /** Every page of `soql` from `gw`, following its own nextRecordsUrl; the locators are left out (they carry their issue time). */
  async function allPages(gw: ServiceProcess, soql: string, client: TestClient = A, batch = 200): Promise<Page[]> {
    const pages: Page[] = [];
    let answer = await get(gw, query(soql), client, { 'sforce-query-options': `batchSize=${batch}` });
    for (;;) {
      expect(answer.status).toBe(200);
      const { nextRecordsUrl, ...body } = answer.body as Page;
      pages.push(body);
      if (!nextRecordsUrl) return pages;
      answer = await get(gw, nextRecordsUrl, client);
    }
  }
  const count = async (sql: string, params: unknown[] = []) => (await stack.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n;
  const submitted = (ownerId: string, correlation: string, i: number, extra: Record<string, unknown> = {}) => ({
    routingKey: OperationEvents.Submitted as string,
    body: { operationId: randomUUID(), occurredAt: new Date(Date.UTC(2026, i % 12, 1 + (i % 27), i % 24)).toISOString(), ownerId, jobType: i % 3 ? 'PlaceQuote' : 'PlaceOrder', producer: ownerId, totalJobItems: i % 7, correlationIdentifier: correlation, ...extra },
  });

  beforeAll(async () => {
    stack = await startStack('soql_read_db', { apps: ['tracker', 'order-placement', 'gateway'], clients: { list: [A, B], hashSecret }, readDatabase: true });
    direct = stack.gateway;
    // The same gateway (clients, token secret: tokens and locators work on both) asking the owners.
    rpc = await stack.startApp('gateway', { ...stack.gatewayEnv, READ_DATABASE_URL: '' });

    const aEvents = Array.from({ length: A_OPERATIONS }, (_, i) => submitted(A.id, `reads-${String(i).padStart(4, '0')}`, i));
    await stack.broker.publishMany([...aEvents, ...Array.from({ length: B_OPERATIONS }, (_, i) => submitted(B.id, `reads-b-${i}`, i))]);
    // A third of A's records start, some with a parent of theirs: statuses and relationships to group and read.
    await stack.broker.publishMany(aEvents.filter((_, i) => i % 3 === 0).map((e) => ({ routingKey: OperationEvents.Started, body: { operationId: e.body.operationId, occurredAt: e.body.occurredAt } })));
    const parent = aEvents[0].body.operationId;
    await stack.broker.publishMany(Array.from({ length: 5 }, (_, i) => submitted(A.id, `reads-child-${i}`, i, { parentOperationId: parent })));

    for (const [client, n, stuck, tag] of [[A, A_ORDERS, A_STUCK, 'a'], [B, B_ORDERS, B_STUCK, 'b']] as const) {
      const orders = Array.from({ length: n + stuck }, (_, i) => order(`${tag}_reads@site@${String(i).padStart(3, '0')}`, i, i >= n));
      const res = await fetch(`${direct.url}/api/v1/pending-orders`, { method: 'POST', headers: { authorization: `Bearer ${await token(client)}`, 'content-type': 'application/json' }, body: JSON.stringify(orders) });
      expect(res.status).toBe(200);
    }
    await waitFor('tracker records stored', async () => (await count(`tracker.async_operation WHERE correlation_identifier LIKE 'reads-%'`)) === A_OPERATIONS + B_OPERATIONS + 5, 120_000, 100);
    await waitFor('A started', async () => (await count(`tracker.async_operation WHERE status = 'InProgress' AND correlation_identifier LIKE 'reads-%'`)) === A_OPERATIONS / 3, 60_000, 100);
    await waitFor('orders converted', async () => (await count(`order_placement.order_summary WHERE external_reference_identifier LIKE '%\\_reads@%'`)) === A_ORDERS + B_ORDERS, 120_000, 200);
    await waitFor(
      'refused conversions recorded',
      async () => (await count(`order_placement.pending_order_summary WHERE external_reference_identifier LIKE '%\\_reads@%' AND account_number IS NOT NULL`)) === A_STUCK + B_STUCK,
      60_000,
      200,
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** An answer with its locator's presence kept but not its text (it carries the instant it was issued). */
  const withoutLocator = (a: Answer) => (a.body && typeof a.body === 'object' && !Array.isArray(a.body) ? { ...a, body: { ...(a.body as Page), nextRecordsUrl: 'nextRecordsUrl' in (a.body as Page) } } : a);

  /** `path` from both gateways: status and body must be equal (locators aside). */
  async function same(path: string, client: TestClient = A): Promise<Answer> {
    const [d, r] = await Promise.all([get(direct, path, client), get(rpc, path, client)]);
    expect(withoutLocator(d)).toEqual(withoutLocator(r));
    return d;
  }

  it('reads from the database itself: it answers with both owners frozen, on sessions of its own read pool', async () => {
    const soql = "SELECT Id, Status FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'reads-%' ORDER BY CorrelationIdentifier LIMIT 5";
    const before = await page(direct, soql);
    stack.tracker.pause();
    stack.placement.pause();
    try {
      const t0 = Date.now();
      expect(await page(direct, soql)).toEqual(before);
      expect((await page(direct, 'SELECT Id FROM OrderSummary')).totalSize).toBe(A_ORDERS);
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      stack.tracker.resume();
      stack.placement.resume();
    }
    expect(await count(`pg_stat_activity WHERE datname = $1 AND application_name = 'asyncops-gateway-soql'`, [stack.db.name])).toBeGreaterThan(0);
  });

  it('answers the same pages, totals and locators as the owners, and follows either gateway’s locators', async () => {
    const soql =
      "SELECT Id, AsyncOperationNumber, Status, JobType, SubmittedAt, TotalJobItems, CorrelationIdentifier, ParentOperationId, Owner.Name FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'reads-%' ORDER BY TotalJobItems DESC, SubmittedAt";
    const [d, r] = await Promise.all([allPages(direct, soql), allPages(rpc, soql)]);
    expect(d).toEqual(r);
    expect(d.map((p) => p.records.length)).toEqual([200, 200, A_OPERATIONS + 5 - 400]);
    expect(d.map((p) => p.done)).toEqual([false, false, true]);
    expect(d[0].totalSize).toBe(A_OPERATIONS + 5);
    expect(new Set(d.flatMap((p) => p.records.map((x) => x.Id))).size).toBe(A_OPERATIONS + 5);
    // A locator one gateway issued is a page the other answers alike.
    const first = (await get(direct, query(soql), A, { 'sforce-query-options': 'batchSize=200' })).body as Page;
    const [fromDirect, fromRpc] = await Promise.all([get(direct, first.nextRecordsUrl as string), get(rpc, first.nextRecordsUrl as string)]);
    expect(withoutLocator(fromDirect)).toEqual(withoutLocator(fromRpc));
    expect((fromDirect.body as Page).records).toEqual(d[1].records);
  });

  it('keeps paging on the first page’s snapshot: records created meanwhile show in the next query only', async () => {
    const soql = "SELECT Id, CorrelationIdentifier FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'reads-%' ORDER BY CorrelationIdentifier";
    const firstDirect = (await get(direct, query(soql), A, { 'sforce-query-options': 'batchSize=200' })).body as Page;
    const firstRpc = (await get(rpc, query(soql), A, { 'sforce-query-options': 'batchSize=200' })).body as Page;
    const late = Array.from({ length: 3 }, (_, i) => submitted(A.id, `reads-0000-late-${i}`, i));
    await stack.broker.publishMany(late);
    await waitFor('late records stored', async () => (await count(`tracker.async_operation WHERE correlation_identifier LIKE 'reads-0000-late-%'`)) === 3, 30_000, 50);
    const rest = async (gw: ServiceProcess, next: string | undefined) => {
      const records: Array<Record<string, unknown>> = [];
      while (next) {
        const p = (await get(gw, next)).body as Page;
        records.push(...p.records);
        expect(p.totalSize).toBe(A_OPERATIONS + 5);
        next = p.nextRecordsUrl;
      }
      return records;
    };
    const [restDirect, restRpc] = await Promise.all([rest(direct, firstDirect.nextRecordsUrl), rest(rpc, firstRpc.nextRecordsUrl)]);
    expect(restDirect).toEqual(restRpc);
    const seen = [...firstDirect.records, ...restDirect].map((x) => x.CorrelationIdentifier as string);
    expect(seen).toHaveLength(A_OPERATIONS + 5);
    expect(seen.filter((c) => c.includes('late'))).toEqual([]);
    expect((await same(query(soql))).body).toMatchObject({ totalSize: A_OPERATIONS + 5 + 3 });
  });

  it.each([
    ['COUNT()', "SELECT COUNT() FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'reads-%'"],
    [
      'an aggregate with GROUP BY, HAVING and a date function',
      "SELECT JobType, Status, CALENDAR_MONTH(SubmittedAt) m, COUNT(Id) n, SUM(TotalJobItems) items, MAX(SubmittedAt) latest, AVG(TotalJobItems) mean FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'reads-%' GROUP BY JobType, Status, CALENDAR_MONTH(SubmittedAt) HAVING COUNT(Id) > 1 ORDER BY COUNT(Id) DESC, JobType, Status, CALENDAR_MONTH(SubmittedAt)",
    ],
    ['COUNT_DISTINCT by owner', "SELECT Owner.Name, COUNT_DISTINCT(JobType) kinds FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'reads-%' GROUP BY Owner.Name"],
    ['LIMIT and OFFSET', "SELECT Id, CorrelationIdentifier FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'reads-%' ORDER BY CorrelationIdentifier DESC LIMIT 7 OFFSET 11"],
    ['a parent field and a semi-join', "SELECT Id, ParentOperation.CorrelationIdentifier FROM AsyncOperationTracker WHERE ParentOperationId IN (SELECT Id FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'reads-0000')"],
    ['a date literal', "SELECT COUNT() FROM AsyncOperationTracker WHERE SubmittedAt < LAST_N_DAYS:3 AND CorrelationIdentifier LIKE 'reads-%'"],
    ['OrderSummary', "SELECT Id, Status, Account.Name, GrandTotalAmount, CurrencyIsoCode, ExternalReferenceIdentifier, BillToContact.Name FROM OrderSummary ORDER BY ExternalReferenceIdentifier"],
    ['PendingOrderSummary', "SELECT Id, ExternalReferenceIdentifier, Account.Name, GrandTotalAmount FROM PendingOrderSummary ORDER BY ExternalReferenceIdentifier"],
    ['a refused field (the planner, before either path)', 'SELECT Nope FROM AsyncOperationTracker'],
  ])('answers %s as the owner does', async (_name, soql) => {
    for (const client of [A, B]) {
      const answer = await same(query(soql), client);
      expect(answer.status).toBe(soql.includes('Nope') ? 400 : 200);
    }
  });

  it("never shows another owner's rows", async () => {
    const tracker = (await allPages(direct, "SELECT Id, OwnerId, CorrelationIdentifier FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'reads-%'", B)).flatMap((p) => p.records);
    expect(tracker).toHaveLength(B_OPERATIONS);
    expect(tracker.every((r) => String(r.CorrelationIdentifier).startsWith('reads-b-'))).toBe(true);
    expect(new Set(tracker.map((r) => r.OwnerId)).size).toBe(1);
    expect((await page(direct, "SELECT COUNT() FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'reads-%'", B)).totalSize).toBe(B_OPERATIONS);
    // A's parent record through a semi-join or a parent field: nothing of A's.
    expect((await page(direct, "SELECT Id FROM AsyncOperationTracker WHERE ParentOperationId IN (SELECT Id FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'reads-0000')", B)).totalSize).toBe(0);
    const orders = await page(direct, 'SELECT ExternalReferenceIdentifier FROM OrderSummary', B);
    expect(orders.records.map((r) => String(r.ExternalReferenceIdentifier).slice(0, 2)).sort()).toEqual(Array(B_ORDERS).fill('b_'));
    const pending = await page(direct, 'SELECT ExternalReferenceIdentifier FROM PendingOrderSummary', B);
    expect(pending.records.map((r) => String(r.ExternalReferenceIdentifier).slice(0, 2))).toEqual(Array(B_STUCK).fill('b_'));
    const groups = (await page(direct, "SELECT Owner.Name, COUNT(Id) n FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'reads-%' GROUP BY Owner.Name", B)).records;
    expect(groups).toEqual([expect.objectContaining({ Name: B.name, n: B_OPERATIONS })]);
    // A locator issued to A is refused to B, as on the RPC path.
    const first = (await get(direct, query("SELECT Id FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE 'reads-%'"), A, { 'sforce-query-options': 'batchSize=200' })).body as Page;
    const stolen = await get(direct, first.nextRecordsUrl as string, B);
    expect(stolen.status).toBe(400);
    expect(stolen.body).toEqual([expect.objectContaining({ errorCode: 'INVALID_QUERY_LOCATOR' })]);
  });

  it('shows what a lifecycle event changed in the next query', async () => {
    const event = submitted(A.id, 'ryw-lifecycle', 1);
    await stack.broker.publishMany([event]);
    await waitFor('submitted stored', async () => (await count(`tracker.async_operation WHERE correlation_identifier = 'ryw-lifecycle'`)) === 1, 30_000, 20);
    const soql = "SELECT Status, SuccessfulJobItems FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'ryw-lifecycle'";
    expect((await page(direct, soql)).records).toEqual([expect.objectContaining({ Status: 'Submitted' })]);
    await stack.broker.publishMany([
      { routingKey: OperationEvents.Started, body: { operationId: event.body.operationId, occurredAt: new Date().toISOString() } },
      { routingKey: OperationEvents.ItemsProgressed, body: { operationId: event.body.operationId, occurredAt: new Date().toISOString(), succeeded: 1, failed: 0 } },
      { routingKey: OperationEvents.Finished, body: { operationId: event.body.operationId, occurredAt: new Date(Date.now() + 1).toISOString(), status: 'Completed' } },
    ]);
    await waitFor('completion committed', async () => (await count(`tracker.async_operation WHERE correlation_identifier = 'ryw-lifecycle' AND status = 'Completed'`)) === 1, 30_000, 20);
    // The commit is the whole wait: the next query reads it, no cache in between.
    expect((await page(direct, soql)).records).toEqual([expect.objectContaining({ Status: 'Completed', SuccessfulJobItems: 1 })]);
  });

  it('reads its own writes through the gateway: a pending order it created, a record it deleted', async () => {
    const ref = 'a_ryw@site@1';
    const created = await fetch(`${direct.url}${V}/sobjects/PendingOrderSummary`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(A)}`, 'content-type': 'application/json' },
      body: JSON.stringify(order(ref, 1, true)),
    });
    expect(created.status).toBe(201);
    expect((await page(direct, `SELECT Id FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = '${ref}'`)).records).toEqual([{ attributes: expect.any(Object), Id: ((await created.json()) as { id: string }).id }]);

    const [victim] = (await page(direct, "SELECT Id FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'reads-0449'")).records;
    const deleted = await fetch(`${direct.url}${V}/sobjects/AsyncOperationTracker/${String(victim.Id)}`, { method: 'DELETE', headers: { authorization: `Bearer ${await token(A)}` } });
    expect(deleted.status).toBe(204);
    expect((await page(direct, "SELECT COUNT() FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'reads-0449'")).totalSize).toBe(0);
  });

  it('leaves FOR VIEW to the tracker, which sets the view dates the next query reads', async () => {
    const soql = "SELECT Id, LastViewedDate, LastReferencedDate FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'reads-0007'";
    const [before] = (await page(direct, soql)).records;
    expect(before.LastViewedDate).toBeNull();
    // The read pool cannot write: dates set and answered prove the tracker ran it, in its transaction.
    const viewed = (await page(direct, `${soql} FOR VIEW`)).records[0];
    expect(viewed.LastViewedDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(viewed.LastReferencedDate).toBe(viewed.LastViewedDate);
    expect((await page(direct, soql)).records[0]).toEqual(viewed);
    const stored = await stack.db.query<{ at: Date }>(`SELECT last_viewed_date AS at FROM tracker.async_operation WHERE correlation_identifier = 'reads-0007'`);
    expect(stored[0].at.toISOString().slice(0, 19)).toBe(String(viewed.LastViewedDate).slice(0, 19));
  });

  it('answers a read database that cannot answer with a Salesforce-shaped 503, and keeps serving', async () => {
    const broken = await stack.startApp('gateway', {
      ...stack.gatewayEnv,
      READ_DATABASE_URL: readOnlyDatabaseUrl(`${TEST_PG_SERVER}/asyncops_test_missing_${randomUUID().slice(0, 8).replace(/-/g, '')}`),
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      RETRY_AFTER_SECONDS: '3',
    });
    for (let i = 0; i < 2; i++) {
      const answer = await get(broken, query('SELECT Id FROM AsyncOperationTracker'));
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual([{ errorCode: 'SERVER_UNAVAILABLE', message: expect.any(String) }]);
      expect(answer.retryAfter).toBe('3');
    }
    // The owners' path is unaffected: FOR VIEW, answered by the tracker, still works on the same gateway.
    const viewed = await get(broken, query("SELECT Id, LastViewedDate FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'reads-0008' FOR VIEW"));
    expect(viewed.status).toBe(200);
    expect((await fetch(`${broken.url}/health/live`)).status).toBe(200);
  });
});
