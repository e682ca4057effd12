import { createHmac, randomUUID } from 'node:crypto';
import { Connection } from 'jsforce';
import { ASYNC_OPERATION_TRACKER, OperationEvents } from '@asyncops/contracts';
import { ServiceProcess, Stack, startStack, TestBroker, TestDatabase, waitFor } from '@asyncops/testing';
import { hashSecret } from '../src/core/auth/secret-hash';
import { encodeRecordId } from '../src/dialects/salesforce/ids/record-id';

const CLIENT_A = { id: 'acme-erp', secret: 'acme-secret-1', name: 'Acme ERP' };
const CLIENT_B = { id: 'globex-shop', secret: 'globex-secret-2', name: 'Globex' };
const VERSION = '60.0';
const SF_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
const BULK = 2150;

type SfRecord = Record<string, unknown> & { attributes: { type: string; url: string } };
type SfError = Array<{ message: string; errorCode: string; fields?: string[] }>;

/**
 * The Salesforce REST surface end to end with jsforce itself: operations reported through
 * RabbitMQ, tracker and gateway in their own processes on the real broker and database.
 */
describe('Salesforce REST surface (jsforce against gateway + tracker)', () => {
  let stack: Stack;
  let db: TestDatabase;
  let broker: TestBroker;
  let gateway: ServiceProcess;
  let tokenA: string;
  let tokenB: string;
  let connA: Connection;
  let connB: Connection;
  const tag = randomUUID().slice(0, 8);

  const now = () => new Date().toISOString();
  const submitted = (operationId: string, extra: Record<string, unknown> = {}) => ({
    routingKey: OperationEvents.Submitted as string,
    body: { operationId, occurredAt: now(), ownerId: CLIENT_A.id, jobType: 'PlaceQuote', producer: CLIENT_A.id, ...extra } as Record<string, unknown>,
  });
  const raw = (path: string, token: string | null = tokenA, init: RequestInit = {}) =>
    fetch(`${gateway.url}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });
  const sfError = async (res: Response, status: number, errorCode: string): Promise<SfError> => {
    expect(res.status).toBe(status);
    const body = (await res.json()) as SfError;
    expect(Array.isArray(body)).toBe(true);
    expect(body).toHaveLength(1);
    expect(body[0]).toEqual(expect.objectContaining({ errorCode, message: expect.any(String) }));
    return body;
  };
  const numberOf = async (id: string): Promise<number> => {
    const row = await waitFor(`operation ${id} stored`, async () => (await db.query<{ n: string }>('SELECT async_operation_number AS n FROM tracker.async_operation WHERE id = $1', [id]))[0]);
    return Number(row.n);
  };
  const sfId = async (id: string) => encodeRecordId(ASYNC_OPERATION_TRACKER.keyPrefix, await numberOf(id));
  const id18 = (n: number) => encodeRecordId(ASYNC_OPERATION_TRACKER.keyPrefix, n);
  const soql = (q: string) => `/services/data/v${VERSION}/query?q=${encodeURIComponent(q)}`;

  async function token(client: { id: string; secret: string }): Promise<{ access_token: string; instance_url: string }> {
    const res = await fetch(`${gateway.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }).toString(),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { access_token: string; instance_url: string };
  }

  beforeAll(async () => {
    stack = await startStack('salesforce', { apps: ['tracker', 'gateway'], clients: { list: [CLIENT_A, CLIENT_B], hashSecret } });
    ({ db, broker, gateway } = stack);
    const a = await token(CLIENT_A);
    tokenA = a.access_token;
    tokenB = (await token(CLIENT_B)).access_token;
    connA = new Connection({ instanceUrl: a.instance_url, accessToken: tokenA, version: VERSION });
    connB = new Connection({ instanceUrl: gateway.url, accessToken: tokenB, version: VERSION });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('issues Salesforce-shaped tokens and OAuth errors on /services/oauth2/token', async () => {
    const res = await fetch(`${gateway.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_A.id, client_secret: CLIENT_A.secret }).toString(),
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual(expect.objectContaining({ access_token: expect.any(String), instance_url: gateway.url, token_type: 'Bearer', issued_at: expect.stringMatching(/^\d{13}$/), id: expect.any(String) }));
    // Salesforce's signature: HMAC-SHA256 of id + issued_at under the client secret.
    expect(body.signature).toBe(createHmac('sha256', CLIENT_A.secret).update(`${String(body.id)}${String(body.issued_at)}`).digest('base64'));
    const bad = await fetch(`${gateway.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_A.id, client_secret: 'wrong' }).toString(),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  });

  it('retrieves a record with every seed field, sets LastViewedDate, accepts 15- and 18-character ids', async () => {
    const parent = randomUUID();
    const child = randomUUID();
    await broker.publishMany([
      submitted(parent, { correlationIdentifier: `retrieve-${tag}`, jobType: 'PlaceOrder', referenceEntityId: '801000000000001AAA', referenceEntityType: 'Order', totalJobItems: 3 }),
      submitted(child, { parentOperationId: parent, jobType: 'PlaceOrderPriceAsync', stepName: 'PlaceOrderPriceAsync' }),
    ]);
    const parentId = await sfId(parent);
    const childId = await sfId(child);

    const record = (await connA.sobject('AsyncOperationTracker').retrieve(childId)) as unknown as SfRecord;
    expect(record.attributes).toEqual({ type: 'AsyncOperationTracker', url: `/services/data/v${VERSION}/sobjects/AsyncOperationTracker/${childId}` });
    for (const f of ASYNC_OPERATION_TRACKER.fields) expect(record).toHaveProperty(f.name);
    expect(record).toMatchObject({ Id: childId, ParentOperationId: parentId, JobType: 'PlaceOrderPriceAsync', StepName: 'PlaceOrderPriceAsync', Status: 'Submitted', FailedJobItems: 0 });
    expect(record.AsyncOperationNumber).toMatch(/^AON-\d{10}$/);
    expect(record.OwnerId).toMatch(/^005[0-9A-Za-z]{15}$/);
    expect(record.SubmittedAt).toMatch(SF_DATETIME);
    expect(record.LastViewedDate).toMatch(SF_DATETIME);
    expect(record.LastReferencedDate).toMatch(SF_DATETIME);

    const parentRecord = (await connA.sobject('AsyncOperationTracker').retrieve(parentId.slice(0, 15))) as unknown as SfRecord;
    expect(parentRecord).toMatchObject({ Id: parentId, ReferenceEntityId: '801000000000001AAA', ParentOperationId: null, CorrelationIdentifier: `retrieve-${tag}` });

    const some = (await (await raw(`/services/data/v${VERSION}/sobjects/AsyncOperationTracker/${childId}?fields=Status,JobType`)).json()) as SfRecord;
    expect(Object.keys(some).sort()).toEqual(['Id', 'JobType', 'Status', 'attributes']);
  });

  it('describes the object from the seed table: describe, describeGlobal, basic info, layouts', async () => {
    const d = await connA.sobject('AsyncOperationTracker').describe();
    expect(d).toMatchObject({ name: 'AsyncOperationTracker', keyPrefix: '0Ao', queryable: true, retrieveable: true, deletable: true, replicateable: true, createable: false, updateable: false });
    expect(d.fields.map((f) => f.name).sort()).toEqual(ASYNC_OPERATION_TRACKER.fields.map((f) => f.name).sort());
    const status = d.fields.find((f) => f.name === 'Status');
    expect(status).toMatchObject({ type: 'picklist', filterable: true, groupable: true, sortable: true, nillable: false, restrictedPicklist: true });
    expect(status?.picklistValues?.map((v) => v.value)).toEqual(['Submitted', 'InProgress', 'Completed', 'CompletedWithFailures', 'Failure']);
    expect(d.fields.find((f) => f.name === 'ParentOperationId')).toMatchObject({ type: 'reference', referenceTo: ['AsyncOperationTracker'], relationshipName: 'ParentOperation' });
    expect(d.fields.find((f) => f.name === 'AsyncOperationNumber')).toMatchObject({ autoNumber: true, idLookup: true, defaultedOnCreate: true, groupable: false });

    const global = await connA.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toEqual(['AsyncOperationTracker', 'OrderSummary', 'PendingOrderSummary']);
    const basic = await connA.request<{ objectDescribe: { name: string }; recentItems: unknown[] }>(`/services/data/v${VERSION}/sobjects/AsyncOperationTracker`);
    expect(basic.objectDescribe.name).toBe('AsyncOperationTracker');
    expect(Array.isArray(basic.recentItems)).toBe(true);
    const layouts = await connA.sobject('AsyncOperationTracker').layouts();
    expect(layouts.layouts).toHaveLength(1);
    const versions = (await (await raw('/services/data', null)).json()) as Array<{ version: string; url: string }>;
    expect(versions).toContainEqual(expect.objectContaining({ version: '60.0', url: '/services/data/v60.0' }));
    expect(await connA.request(`/services/data/v${VERSION}`)).toMatchObject({ sobjects: `/services/data/v${VERSION}/sobjects`, query: `/services/data/v${VERSION}/query` });
  });

  it('answers SOQL with filters, ordering, relationship fields, COUNT() and date literals', async () => {
    const corr = `soql-${tag}`;
    const parent = randomUUID();
    const kids = [randomUUID(), randomUUID(), randomUUID()];
    await broker.publishMany([
      submitted(parent, { correlationIdentifier: `${corr}-parent`, jobType: 'QuoteToOrderJob' }),
      ...kids.map((k, i) => submitted(k, { correlationIdentifier: corr, parentOperationId: parent, jobType: i === 2 ? 'PlaceOrder' : 'PlaceQuote', totalJobItems: 10 * (i + 1) })),
    ]);
    await broker.publish(OperationEvents.Started, { operationId: kids[0], occurredAt: now() });
    await waitFor('started applied', async () => (await db.query<{ s: string }>('SELECT status AS s FROM tracker.async_operation WHERE id = $1', [kids[0]]))[0]?.s === 'InProgress');
    const ids = await Promise.all(kids.map(sfId));
    const parentId = await sfId(parent);

    const ordered = await connA.query<SfRecord>(
      `SELECT Id, TotalJobItems, ParentOperation.Status, ParentOperation.JobType, Owner.Name, Owner.Id FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}' ORDER BY TotalJobItems DESC NULLS LAST`,
    );
    expect(ordered.totalSize).toBe(3);
    expect(ordered.done).toBe(true);
    expect(ordered.records.map((r) => r.Id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(ordered.records[0].ParentOperation).toEqual({
      attributes: { type: 'AsyncOperationTracker', url: `/services/data/v${VERSION}/sobjects/AsyncOperationTracker/${parentId}` },
      // Rolled up from the started child.
      Status: 'InProgress',
      JobType: 'QuoteToOrderJob',
    });
    expect(ordered.records[0].Owner).toMatchObject({ attributes: { type: 'User' }, Name: CLIENT_A.name, Id: expect.stringMatching(/^005/) });

    const filtered = await connA.query<SfRecord>(
      `SELECT Id, Status FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}' AND (Status = 'InProgress' OR JobType IN ('PlaceOrder')) AND SubmittedAt = TODAY AND FinishedAt = null ORDER BY Id`,
    );
    // Ids encode the auto-number in order-preserving base 62, so sorting them sorts by number.
    expect(filtered.records.map((r) => r.Id)).toEqual([ids[0], ids[2]].sort());
    const negated = await connA.query<SfRecord>(`SELECT Id FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}' AND NOT JobType = 'PlaceQuote' AND SubmittedAt > YESTERDAY`);
    expect(negated.records.map((r) => r.Id)).toEqual([ids[2]]);
    const like = await connA.query<SfRecord>(`SELECT Id FROM AsyncOperationTracker WHERE CorrelationIdentifier LIKE '${corr}%' AND TotalJobItems != 20 AND SubmittedAt = LAST_N_DAYS:1 ORDER BY AsyncOperationNumber ASC LIMIT 2 OFFSET 1`);
    expect(like.records.map((r) => r.Id)).toEqual([parentId, ids[0], ids[2]].sort().slice(1));
    const byParent = await connA.query<SfRecord>(`SELECT Id FROM AsyncOperationTracker WHERE ParentOperationId = '${parentId}' AND Id NOT IN ('${ids[1]}') ORDER BY Id DESC`);
    expect(byParent.records.map((r) => r.Id)).toEqual([ids[0], ids[2]].sort().reverse());

    const count = await connA.query(`SELECT COUNT() FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}' AND SubmittedAt = THIS_MONTH`);
    expect(count.totalSize).toBe(3);
    expect(count.records).toEqual([]);
    const nothing = await connA.query(`SELECT COUNT() FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}' AND SubmittedAt = LAST_MONTH`);
    expect(nothing.totalSize).toBe(0);

    // The injection attempt is one string value; it matches nothing and changes nothing.
    const injected = await connA.query(`SELECT COUNT() FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}\\' OR 1=1 --'`);
    expect(injected.totalSize).toBe(0);
    // Another owner sees none of it.
    expect((await connB.query(`SELECT COUNT() FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}'`)).totalSize).toBe(0);
  });

  it('answers aggregate SOQL (GROUP BY, relationship groups, HAVING, ORDER BY an aggregate, date functions) and semi-joins as Salesforce does', async () => {
    const corr = `agg-${tag}`;
    const parent = randomUUID();
    const kids = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const spec = [
      ['PlaceQuote', 1],
      ['PlaceQuote', 2],
      ['PlaceQuote', 3],
      ['PlaceOrder', 10],
      ['PlaceOrder', 20],
    ] as const;
    await broker.publishMany([
      submitted(parent, { correlationIdentifier: `${corr}-parent`, jobType: 'QuoteToOrderJob' }),
      ...kids.map((k, i) => submitted(k, { correlationIdentifier: corr, parentOperationId: parent, jobType: spec[i][0], totalJobItems: spec[i][1] })),
    ]);
    await Promise.all(kids.map(numberOf));
    await broker.publish(OperationEvents.Started, { operationId: kids[3], occurredAt: now() });
    await waitFor('started applied', async () => (await db.query<{ s: string }>('SELECT status AS s FROM tracker.async_operation WHERE id = $1', [kids[3]]))[0]?.s === 'InProgress');
    const parentId = await sfId(parent);
    const agg = { type: 'AggregateResult' };

    const byStatus = await connA.query(
      `SELECT Status, COUNT(Id), SUM(TotalJobItems) total, MAX(TotalJobItems), COUNT_DISTINCT(JobType) FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}' GROUP BY Status ORDER BY COUNT(Id) DESC`,
    );
    expect(byStatus).toEqual({
      totalSize: 2,
      done: true,
      records: [
        { attributes: agg, Status: 'Submitted', expr0: 4, total: 26, expr1: 20, expr2: 2 },
        { attributes: agg, Status: 'InProgress', expr0: 1, total: 10, expr1: 10, expr2: 1 },
      ],
    });

    const byParent = await connA.query(
      `SELECT ParentOperation.JobType parentType, JobType, COUNT(Id) n FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}' GROUP BY ParentOperation.JobType, JobType HAVING COUNT(Id) > 2`,
    );
    expect(byParent.records).toEqual([{ attributes: agg, parentType: 'QuoteToOrderJob', JobType: 'PlaceQuote', n: 3 }]);

    const byDay = await connA.query<Record<string, unknown>>(
      `SELECT CALENDAR_MONTH(SubmittedAt), DAY_ONLY(SubmittedAt) d, CALENDAR_YEAR(SubmittedAt) y, COUNT(Id) FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}' GROUP BY CALENDAR_MONTH(SubmittedAt), DAY_ONLY(SubmittedAt), CALENDAR_YEAR(SubmittedAt)`,
    );
    expect(byDay.records.reduce((n, r) => n + Number(r.expr1), 0)).toBe(5);
    for (const r of byDay.records) {
      expect(r.d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.expr0).toBe(Number(String(r.d).slice(5, 7)));
      expect(r.y).toBe(Number(String(r.d).slice(0, 4)));
    }

    const [first] = await db.query<{ at: Date }>('SELECT submitted_at AS at FROM tracker.async_operation WHERE id = $1', [kids[0]]);
    const at = new Date(first.at);
    const kid0 = await sfId(kids[0]);
    const parts = await connA.query<Record<string, unknown>>(
      `SELECT CALENDAR_QUARTER(SubmittedAt) q, DAY_IN_WEEK(SubmittedAt) w, DAY_IN_YEAR(SubmittedAt) dy, DAY_IN_MONTH(SubmittedAt) dm, HOUR_IN_DAY(SubmittedAt) h, COUNT(Id) n FROM AsyncOperationTracker WHERE Id = '${kid0}' GROUP BY CALENDAR_QUARTER(SubmittedAt), DAY_IN_WEEK(SubmittedAt), DAY_IN_YEAR(SubmittedAt), DAY_IN_MONTH(SubmittedAt), HOUR_IN_DAY(SubmittedAt) HAVING MAX(SubmittedAt) > 2000-01-01T00:00:00Z`,
    );
    const dayOfYear = Math.floor((Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()) - Date.UTC(at.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
    expect(parts.records).toEqual([
      { attributes: agg, q: Math.floor(at.getUTCMonth() / 3) + 1, w: at.getUTCDay() + 1, dy: dayOfYear, dm: at.getUTCDate(), h: at.getUTCHours(), n: 1 },
    ]);
    const overall = await connA.query<Record<string, unknown>>(`SELECT COUNT(Id) n, AVG(TotalJobItems) average, MIN(SubmittedAt) FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}'`);
    expect(overall.records).toEqual([{ attributes: agg, n: 5, average: 7.2, expr0: expect.stringMatching(SF_DATETIME) }]);
    const none = await connA.query(`SELECT COUNT(Id) n FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'nothing-${corr}'`);
    expect(none.records).toEqual([{ attributes: agg, n: 0 }]);
    // Another owner's groups are empty.
    expect((await connB.query(`SELECT Status, COUNT(Id) FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}' GROUP BY Status`)).records).toEqual([]);

    const parents = await connA.query<SfRecord>(
      `SELECT Id FROM AsyncOperationTracker WHERE Id IN (SELECT ParentOperationId FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}' AND JobType = 'PlaceOrder')`,
    );
    expect(parents.records.map((r) => r.Id)).toEqual([parentId]);
    const orphans = await connA.query(`SELECT COUNT() FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}' AND ParentOperationId NOT IN (SELECT Id FROM AsyncOperationTracker WHERE JobType = 'QuoteToOrderJob')`);
    expect(orphans.totalSize).toBe(0);
    expect((await connB.query(`SELECT Id FROM AsyncOperationTracker WHERE Id IN (SELECT ParentOperationId FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}')`)).totalSize).toBe(0);

    const notGroupable = await sfError(await raw(soql('SELECT SubmittedAt, COUNT(Id) FROM AsyncOperationTracker GROUP BY SubmittedAt')), 400, 'INVALID_FIELD');
    expect(notGroupable[0].message).toContain("field 'SubmittedAt' can not be grouped in a query call");
    await expect(connA.query('SELECT SUM(JobType) FROM AsyncOperationTracker')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
    await sfError(await raw(soql('SELECT Status, JobType, COUNT(Id) FROM AsyncOperationTracker GROUP BY Status')), 400, 'MALFORMED_QUERY');
    const d = await connA.sobject('AsyncOperationTracker').describe();
    expect(d.fields.find((f) => f.name === 'SubmittedAt')).toMatchObject({ groupable: false, aggregatable: true });
    expect(d.fields.find((f) => f.name === 'Status')).toMatchObject({ groupable: true, aggregatable: true });
  });

  it(`pages ${BULK} records with autoFetch and queryMore, each record exactly once`, async () => {
    const corr = `bulk-${tag}`;
    await broker.publishMany(Array.from({ length: BULK }, () => submitted(randomUUID(), { correlationIdentifier: corr, jobType: 'PlaceOrder' })));
    await waitFor(
      'bulk stored',
      async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM tracker.async_operation WHERE correlation_identifier = $1', [corr]))[0].n) === BULK,
      120_000,
      250,
    );
    const q = `SELECT Id, Status FROM AsyncOperationTracker WHERE CorrelationIdentifier = '${corr}'`;
    const all = await connA.query<SfRecord>(q).autoFetch(true).maxFetch(3000);
    expect(all.totalSize).toBe(BULK);
    expect(all.records).toHaveLength(BULK);
    expect(new Set(all.records.map((r) => r.Id)).size).toBe(BULK);

    const first = await connA.query<SfRecord>(q);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    // jsforce makes the URL absolute; the path is Salesforce's /services/data/vNN.N/query/<locator>-2000.
    expect(new URL(first.nextRecordsUrl as string).pathname).toMatch(new RegExp(`^/services/data/v${VERSION.replace('.', '\\.')}/query/[^/]+-2000$`));
    const second = await connA.queryMore<SfRecord>(first.nextRecordsUrl as string);
    expect(second.done).toBe(true);
    expect(second.records).toHaveLength(BULK - 2000);
    expect(new Set([...first.records, ...second.records].map((r) => r.Id)).size).toBe(BULK);

    const small = await raw(soql(q), tokenA, { headers: { 'Sforce-Query-Options': 'batchSize=500' } });
    const smallBody = (await small.json()) as { records: unknown[]; nextRecordsUrl: string };
    expect(smallBody.records).toHaveLength(500);
    // A locator is bound to its client.
    await sfError(await raw(smallBody.nextRecordsUrl, tokenB), 400, 'INVALID_QUERY_LOCATOR');
  });

  it('deletes a record (204), then it is gone and appears in the deleted feed; updated lists changes', async () => {
    const keep = randomUUID();
    const doomed = randomUUID();
    const start = new Date(Date.now() - 5 * 60_000);
    await broker.publishMany([submitted(keep), submitted(doomed)]);
    const keepId = await sfId(keep);
    const doomedId = await sfId(doomed);

    expect((await raw(`/services/data/v${VERSION}/sobjects/AsyncOperationTracker/${doomedId}`, tokenB, { method: 'DELETE' })).status).toBe(404);
    const result = await connA.sobject('AsyncOperationTracker').destroy(doomedId);
    expect(result).toMatchObject({ id: doomedId, success: true });
    await sfError(await raw(`/services/data/v${VERSION}/sobjects/AsyncOperationTracker/${doomedId}`), 404, 'ENTITY_IS_DELETED');
    expect((await db.query('SELECT 1 FROM tracker.deleted_operation WHERE id = $1', [doomed])).length).toBe(1);

    const end = new Date(Date.now() + 2 * 60_000);
    const deleted = await connA.sobject('AsyncOperationTracker').deleted(start, end);
    expect(deleted.deletedRecords).toEqual([{ id: doomedId, deletedDate: expect.stringMatching(SF_DATETIME) }]);
    expect(deleted.earliestDateAvailable).toMatch(SF_DATETIME);
    expect(deleted.latestDateCovered).toMatch(SF_DATETIME);
    const updated = await connA.sobject('AsyncOperationTracker').updated(start, end);
    expect(updated.ids).toContain(keepId);
    expect(updated.ids).not.toContain(doomedId);
    expect(updated.latestDateCovered).toMatch(SF_DATETIME);
    expect((await connB.sobject('AsyncOperationTracker').updated(start, end)).ids).not.toContain(keepId);
    expect((await connB.sobject('AsyncOperationTracker').deleted(start, end)).deletedRecords).toEqual([]);
  });

  it('retrieves and deletes several records with sObject Collections; a deleted id is ENTITY_IS_DELETED; limits() reports the bucket', async () => {
    const ops = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await broker.publishMany(ops.map((o, i) => submitted(o, { correlationIdentifier: `collection-${tag}`, totalJobItems: i })));
    const ids = await Promise.all(ops.map(sfId));
    const other = randomUUID();
    await broker.publishMany([{ ...submitted(other), body: { ...submitted(other).body, ownerId: CLIENT_B.id, producer: CLIENT_B.id } }]);
    const otherId = await sfId(other);
    const tracker = connA.sobject('AsyncOperationTracker');

    const many = (await tracker.retrieve([ids[2], ids[0], otherId, ids[0]])) as unknown as Array<SfRecord | null>;
    expect(many.map((r) => r?.Id ?? null)).toEqual([ids[2], ids[0], null, ids[0]]);
    for (const f of ASYNC_OPERATION_TRACKER.fields) expect(many[0]).toHaveProperty(f.name);
    expect(many[1]).toMatchObject({ TotalJobItems: 0, CorrelationIdentifier: `collection-${tag}` });
    const picked = (await tracker.retrieve([ids[1]], { fields: ['Status', 'TotalJobItems'] })) as unknown as SfRecord[];
    expect(Object.keys(picked[0]).sort()).toEqual(['Id', 'Status', 'TotalJobItems', 'attributes']);
    // More ids than one IN list holds: read in slices, answered in request order.
    const wide = (await tracker.retrieve([...Array.from({ length: 1500 }, (_, i) => id18(50_000_000 + i)), ids[3]], { fields: ['Status'] })) as unknown as Array<SfRecord | null>;
    expect(wide).toHaveLength(1501);
    expect(wide.filter((r) => r !== null).map((r) => r?.Id)).toEqual([ids[3]]);
    const viaGet = (await (await raw(`/services/data/v${VERSION}/composite/sobjects/AsyncOperationTracker?ids=${ids[3]},${ids[1]}&fields=Status`)).json()) as SfRecord[];
    expect(viaGet.map((r) => r.Id)).toEqual([ids[3], ids[1]]);

    // allOrNone with one record of another owner: nothing is deleted.
    const refused = await tracker.destroy([ids[0], otherId], { allOrNone: true });
    expect(refused).toEqual([
      { id: ids[0], success: false, errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })] },
      { success: false, errors: [expect.objectContaining({ statusCode: 'INVALID_CROSS_REFERENCE_KEY' })] },
    ]);
    expect((await tracker.retrieve([ids[0]]))[0]).not.toBeNull();

    const destroyed = await tracker.destroy([ids[0], ids[1], otherId]);
    expect(destroyed).toEqual([
      { id: ids[0], success: true, errors: [] },
      { id: ids[1], success: true, errors: [] },
      { success: false, errors: [expect.objectContaining({ statusCode: 'INVALID_CROSS_REFERENCE_KEY' })] },
    ]);
    const again = await tracker.destroy([ids[1], ids[2]]);
    expect(again[0]).toEqual({ success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] });
    expect(again[1]).toEqual({ id: ids[2], success: true, errors: [] });
    expect((await tracker.retrieve([ids[0], ids[3]])).map((r) => (r as SfRecord | null)?.Id ?? null)).toEqual([null, ids[3]]);
    expect(await connB.sobject('AsyncOperationTracker').retrieve([otherId])).toHaveLength(1);

    await sfError(await raw(`/services/data/v${VERSION}/sobjects/AsyncOperationTracker/${ids[0]}`), 404, 'ENTITY_IS_DELETED');
    await sfError(await raw(`/services/data/v${VERSION}/sobjects/AsyncOperationTracker/${ids[0]}`, tokenA, { method: 'DELETE' }), 404, 'ENTITY_IS_DELETED');
    // Another owner's deleted record stays invisible.
    await sfError(await raw(`/services/data/v${VERSION}/sobjects/AsyncOperationTracker/${ids[0]}`, tokenB), 404, 'NOT_FOUND');
    await sfError(await raw(`/services/data/v${VERSION}/composite/sobjects/AsyncOperationTracker?ids=nope&fields=Status`), 400, 'MALFORMED_ID');
    const tooMany = Array.from({ length: 201 }, (_, i) => id18(i + 1)).join(',');
    await sfError(await raw(`/services/data/v${VERSION}/composite/sobjects?ids=${tooMany}`, tokenA, { method: 'DELETE' }), 400, 'EXCEEDED_ID_LIMIT');

    const limits = (await connA.limits()) as unknown as Record<string, { Max: number; Remaining: number }>;
    expect(limits.DailyApiRequests.Max).toBeGreaterThan(limits.ApiRequestBurst.Max);
    expect(limits.ApiRequestBurst.Max).toBe(1000);
    expect(limits.ApiRequestBurst.Remaining).toBeLessThan(1000);
    expect(limits.DailyApiRequests.Remaining).toBeLessThan(limits.DailyApiRequests.Max);
  });

  it('answers every client mistake with a 4xx in the exact Salesforce error shape', async () => {
    const mine = randomUUID();
    await broker.publishMany([submitted(mine)]);
    const mineId = await sfId(mine);
    const base = `/services/data/v${VERSION}`;

    const malformed = await sfError(await raw(soql('SELECT FROM AsyncOperationTracker')), 400, 'MALFORMED_QUERY');
    expect(malformed[0].message).toContain("unexpected token: 'FROM'");
    expect(malformed[0].message).toContain('ERROR at Row:1:Column:8');
    await sfError(await raw(soql("SELECT Id FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'x'' OR 1=1 --'")), 400, 'MALFORMED_QUERY');
    await sfError(await raw(soql('SELECT Id FROM AsyncOperationTracker WHERE Status = 1 OR JobType = 2 AND Id = 3')), 400, 'INVALID_FIELD');
    const field = await sfError(await raw(soql('SELECT Id, Foo FROM AsyncOperationTracker')), 400, 'INVALID_FIELD');
    expect(field[0].message).toContain("No such column 'Foo' on entity 'AsyncOperationTracker'");
    const type = await sfError(await raw(soql('SELECT Id FROM Foo')), 400, 'INVALID_TYPE');
    expect(type[0].message).toContain("sObject type 'Foo' is not supported");
    await sfError(await raw(soql("SELECT Id FROM AsyncOperationTracker WHERE Status = 'Submitted' AND JobType = 'PlaceOrder' OR Id = null")), 400, 'MALFORMED_QUERY');
    await sfError(await raw(soql("SELECT Id FROM AsyncOperationTracker WHERE Id = 'nope'")), 400, 'INVALID_QUERY_FILTER_OPERATOR');

    await sfError(await raw(`${base}/sobjects/AsyncOperationTracker/not-an-id`), 404, 'NOT_FOUND');
    await sfError(await raw(`${base}/sobjects/AsyncOperationTracker/001000000000001AAA`), 400, 'MALFORMED_ID');
    await sfError(await raw(`${base}/sobjects/AsyncOperationTracker/${mineId.slice(0, 15)}ZZZ`), 400, 'MALFORMED_ID');
    await sfError(await raw(`${base}/sobjects/AsyncOperationTracker/${mineId}`, tokenB), 404, 'NOT_FOUND');
    await sfError(await raw(`${base}/sobjects/Foo/describe`), 404, 'NOT_FOUND');
    await sfError(await raw(`/services/data/v58.0/sobjects/AsyncOperationTracker/${mineId}`), 404, 'NOT_FOUND');
    await sfError(await raw(`/services/data/60/sobjects/AsyncOperationTracker/describe`), 404, 'NOT_FOUND');

    const old = new Date(Date.now() - 31 * 86_400_000).toISOString();
    const soon = new Date(Date.now() + 60_000).toISOString();
    await sfError(await raw(`${base}/sobjects/AsyncOperationTracker/updated/?start=${encodeURIComponent(old)}&end=${encodeURIComponent(soon)}`), 400, 'INVALID_REPLICATION_DATE');
    const sixteen = new Date(Date.now() - 16 * 86_400_000).toISOString();
    await sfError(await raw(`${base}/sobjects/AsyncOperationTracker/deleted/?start=${encodeURIComponent(sixteen)}&end=${encodeURIComponent(soon)}`), 400, 'INVALID_REPLICATION_DATE');
    await sfError(await raw(`${base}/sobjects/AsyncOperationTracker/updated/?start=${encodeURIComponent(soon)}&end=${encodeURIComponent(old)}`), 400, 'INVALID_REPLICATION_DATE');
    await sfError(await raw(`${base}/sobjects/AsyncOperationTracker/updated/?start=yesterday&end=${encodeURIComponent(soon)}`), 400, 'INVALID_REPLICATION_DATE');

    const unauth = await raw(`${base}/sobjects/AsyncOperationTracker/${mineId}`, null);
    expect(unauth.status).toBe(401);
    expect(await unauth.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const badToken = await raw(`${base}/query?q=${encodeURIComponent('SELECT Id FROM AsyncOperationTracker')}`, 'garbage');
    expect(badToken.status).toBe(401);
    expect(await badToken.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    // The native API keeps its problem+json errors.
    const native = await raw('/api/v1/operations', null);
    expect(native.status).toBe(401);
    expect(native.headers.get('content-type')).toContain('application/problem+json');
  });
});
