import { gzipSync } from 'node:zlib';
import { encodeRecordId } from '@asyncops/contracts';
import { ServiceProcess, Stack, startStack, TestBroker, TestDatabase, waitFor } from '@asyncops/testing';

const CLIENT = { id: 'dev-client', secret: 'dev-secret' };
const V = '/services/data/v62.0';
const POS = `${V}/sobjects/PendingOrderSummary`;
/** The 20,000; about 8 s here (ingest ~7 s, conversion keeps pace). */
const BULK_ORDERS = Number(process.env.PENDING_ORDERS_BULK ?? 20_000);
const LINES = 10;
const SHOPPERS = 200;
const EVENTS_QUEUE = 'test.pending-order-processed';

interface SfError {
  errorCode: string;
  message: string;
  fields?: string[];
}

/** A 10-line order whose items sum to a known total; every second one is sent as JSON_GZIP. */
function order(ref: string, i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const orderItems = Array.from({ length: LINES }, (_, l) => ({ sku: `SKU-${l + 1}`, quantity: (l % 3) + 1, unitPrice: `${l + 1}.25`, description: `line ${l + 1}` }));
  const json = JSON.stringify({ orderItems });
  const gzip = i % 2 === 1;
  return {
    ExternalReferenceIdentifier: ref,
    OrderNumber: `ON-${i}`,
    OrderedDate: '2026-11-24T10:00:00.000Z',
    ShopperName: `Shopper ${i % SHOPPERS}`,
    BillingEmailAddress: `Shopper${i % SHOPPERS}@Example.com`,
    BillingPhoneNumber: '+1 555 0100',
    CurrencyIsoCode: 'EUR',
    GrandTotalAmount: '123.45',
    PayloadType: gzip ? 'JSON_GZIP' : 'JSON_RAW',
    Payload: gzip ? gzipSync(json).toString('base64') : json,
    ...extra,
  };
}

/** Σ over lines of quantity × unit price for the order above. */
const EXPECTED_LINE_TOTAL = Array.from({ length: LINES }, (_, l) => ((l % 3) + 1) * (l + 1.25)).reduce((a, b) => a + b, 0);

/**
 * Seed 002 end to end: gateway and order-placement as their own processes on the real broker and
 * database, driven through the Salesforce routes and the native bulk route.
 */
describe('PendingOrderSummary ingestion and conversion (gateway + order-placement, real broker and database)', () => {
  jest.setTimeout(180_000);

  let stack: Stack;
  let db: TestDatabase;
  let broker: TestBroker;
  let prefix: string;
  let placement: ServiceProcess;
  let gateway: ServiceProcess;
  let token: string;

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...((init.headers as Record<string, string>) ?? {}) } });
  const post = (path: string, body: unknown) => call(path, { method: 'POST', body: JSON.stringify(body) });
  const count = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n;

  async function bulk(orders: unknown[]): Promise<Array<{ index: number; id: string | null; success: boolean; errors: SfError[] }>> {
    const res = await post('/api/v1/pending-orders', orders);
    expect(res.status).toBe(200);
    return ((await res.json()) as { results: Array<{ index: number; id: string | null; success: boolean; errors: SfError[] }> }).results;
  }

  beforeAll(async () => {
    stack = await startStack('pending_orders', { apps: ['order-placement', 'gateway'], env: { AMQP_DELIVERY_LIMIT: '3', OUTBOX_POLL_MS: '50' } });
    ({ db, broker, prefix, placement, gateway } = stack);
    const res = await fetch(`${gateway.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.id, client_secret: CLIENT.secret }).toString(),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });

  afterAll(async () => {
    await stack?.stop([EVENTS_QUEUE]);
  });

  it(`converts ${BULK_ORDERS} bulk-ingested orders (half gzip) into exactly as many order summaries, deduplicating accounts by email`, async () => {
    const started = Date.now();
    const orders = Array.from({ length: BULK_ORDERS }, (_, i) => order(`bulk_realm@site@${String(i).padStart(7, '0')}`, i));
    const results: Awaited<ReturnType<typeof bulk>> = [];
    for (let i = 0; i < orders.length; i += 5000) results.push(...(await bulk(orders.slice(i, i + 5000))));
    expect(results.filter((r) => r.success)).toHaveLength(BULK_ORDERS);
    expect(results[0].id).toMatch(/^0ps[A-Za-z0-9]{15}$/);
    const ingested = Date.now();
    await waitFor('every pending order to convert', async () => (await count(`order_placement.order_summary WHERE external_reference_identifier LIKE 'bulk\\_%'`)) === BULK_ORDERS, 150_000, 250);
    await waitFor('pending records to be gone', async () => (await count(`order_placement.pending_order_summary WHERE external_reference_identifier LIKE 'bulk\\_%'`)) === 0, 10_000, 100);
    process.stdout.write(`pending orders: ${BULK_ORDERS} ingested in ${ingested - started} ms, converted after ${Date.now() - started} ms\n`);
    const [totals] = await db.query<{ items: number; wrong_totals: number; wrong_product: number; accounts: number; contacts: number }>(`
      SELECT (SELECT count(*)::int FROM order_placement.order_item_summary i JOIN order_placement.order_summary s ON s.number = i.order_summary_number WHERE s.external_reference_identifier LIKE 'bulk\\_%') AS items,
             (SELECT count(*)::int FROM order_placement.order_summary WHERE external_reference_identifier LIKE 'bulk\\_%' AND (grand_total_amount <> 123.45 OR currency_iso_code <> 'EUR')) AS wrong_totals,
             (SELECT count(*)::int FROM order_placement.order_summary WHERE external_reference_identifier LIKE 'bulk\\_%' AND total_product_amount <> $1::numeric) AS wrong_product,
             (SELECT count(*)::int FROM order_placement.shopper_account WHERE match_key LIKE 'email:shopper%') AS accounts,
             (SELECT count(*)::int FROM order_placement.shopper_contact c JOIN order_placement.shopper_account a ON a.number = c.account_number WHERE a.match_key LIKE 'email:shopper%') AS contacts`,
    [EXPECTED_LINE_TOTAL.toFixed(2)]);
    expect(totals).toEqual({ items: BULK_ORDERS * LINES, wrong_totals: 0, wrong_product: 0, accounts: Math.min(SHOPPERS, BULK_ORDERS), contacts: Math.min(SHOPPERS, BULK_ORDERS) });
    // Summaries carry no foreign keys (conversion writes them with what it has just resolved): each has its account and contact.
    expect(
      await count(`order_placement.order_summary s WHERE NOT EXISTS (SELECT 1 FROM order_placement.shopper_contact c JOIN order_placement.shopper_account a ON a.number = c.account_number WHERE a.number = s.account_number AND c.number = s.bill_to_contact_number)`),
    ).toBe(0);
  });

  it('keeps the first occurrence of an identifier when its repeat falls in a later chunk of the same request', async () => {
    // 2,500 records are three chunks to order-placement; the repeats sit in the second and third.
    const orders = Array.from({ length: 2500 }, (_, i) => order(`chunks_realm@site@${i}`, i));
    orders[1500] = order('chunks_realm@site@3', 1500);
    orders[2400] = order('chunks_realm@site@1499', 2400);
    const results = await bulk(orders);
    expect(results.map((r) => r.index)).toEqual(orders.map((_, i) => i));
    expect(results.filter((r) => !r.success).map((r) => r.index)).toEqual([1500, 2400]);
    // The repeat names the first occurrence's record, or the OrderSummary it has become meanwhile.
    for (const [repeat, first] of [[1500, 3], [2400, 1499]]) {
      expect(results[first].success).toBe(true);
      expect(results[repeat].errors).toEqual([expect.objectContaining({ errorCode: 'DUPLICATE_VALUE' })]);
      expect(results[repeat].errors[0].message).toMatch(new RegExp(`with id: (${results[first].id}|1Os[A-Za-z0-9]{15})$`));
    }
    // One statement, one snapshot: a record converting in between is counted once.
    const [{ n }] = await db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM order_placement.pending_order_summary WHERE external_reference_identifier LIKE 'chunks\\_%')
            + (SELECT count(*) FROM order_placement.order_summary WHERE external_reference_identifier LIKE 'chunks\\_%') AS n`,
    );
    expect(Number(n)).toBe(2498);
  });

  it('streams NDJSON bulk bodies and answers each line on its own', async () => {
    const lines = [JSON.stringify(order('ndjson_realm@site@1', 1)), '{not json', JSON.stringify(order('ndjson_realm@site@2', 2, { CurrencyIsoCode: 'XXX' })), '', JSON.stringify(order('ndjson_realm@site@1', 3))];
    const res = await call('/api/v1/pending-orders', { method: 'POST', body: lines.join('\n'), headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status).toBe(200);
    const { hasErrors, results } = (await res.json()) as { hasErrors: boolean; results: Array<{ index: number; success: boolean; errors: SfError[] }> };
    expect(hasErrors).toBe(true);
    expect(results.map((r) => [r.index, r.success, r.errors[0]?.errorCode])).toEqual([
      [0, true, undefined],
      [1, false, 'JSON_PARSER_ERROR'],
      [2, false, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'],
      [3, false, 'DUPLICATE_VALUE'],
    ]);
  });

  it.each([
    ['a gzip bomb', { PayloadType: 'JSON_GZIP', Payload: gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)).toString('base64') }, 'FIELD_INTEGRITY_EXCEPTION', 'Payload'],
    ['invalid base64', { PayloadType: 'JSON_GZIP', Payload: 'not base64 at all!' }, 'FIELD_INTEGRITY_EXCEPTION', 'Payload'],
    ['invalid JSON', { PayloadType: 'JSON_RAW', Payload: '{"orderItems": [' }, 'FIELD_INTEGRITY_EXCEPTION', 'Payload'],
    ['an unknown currency', { CurrencyIsoCode: 'SEK' }, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'CurrencyIsoCode'],
    ['a missing identifier', { ExternalReferenceIdentifier: undefined }, 'REQUIRED_FIELD_MISSING', 'ExternalReferenceIdentifier'],
  ])('refuses %s with a 400 naming the field, and writes nothing', async (_what, change, errorCode, field) => {
    // Marked by OrderNumber: a missing-identifier record would have nothing else to find it by.
    const marker = `bad-${errorCode}-${field}`;
    const res = await post(POS, order(`bad_${errorCode}_${field}`, 0, { OrderNumber: marker, ...change }));
    expect(res.status).toBe(400);
    const [error] = (await res.json()) as SfError[];
    expect(error).toMatchObject({ errorCode, fields: expect.arrayContaining([field]) });
    expect(error.message).toContain(field === 'CurrencyIsoCode' ? 'Currency ISO Code' : field);
    expect(await count('order_placement.pending_order_summary WHERE order_number = $1', [marker])).toBe(0);
  });

  it('answers 50 concurrent submits of one identifier with one record and 49 DUPLICATE_VALUE errors; another case is another record', async () => {
    const ref = 'realm_tenant@storesite@dup-0001';
    // A payload conversion refuses keeps the record pending, so the duplicate check meets the pending record.
    const body = order(ref, 0, { Payload: '{"orderItems": []}', PayloadType: 'JSON_RAW' });
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(POS, body)));
    const bodies = await Promise.all(responses.map(async (r) => ({ status: r.status, body: (await r.json()) as unknown })));
    const created = bodies.filter((b) => b.status === 201);
    expect(created).toHaveLength(1);
    const id = (created[0].body as { id: string }).id;
    expect(created[0].body).toEqual({ id, success: true, errors: [] });
    const dups = bodies.filter((b) => b.status === 400).map((b) => (b.body as SfError[])[0]);
    expect(dups).toHaveLength(49);
    for (const d of dups) expect(d).toEqual({ errorCode: 'DUPLICATE_VALUE', message: `duplicate value found: ExternalReferenceIdentifier duplicates value on record with id: ${id}`, fields: ['ExternalReferenceIdentifier'] });
    const other = await post(POS, { ...body, ExternalReferenceIdentifier: ref.toUpperCase() });
    expect(other.status).toBe(201);
    expect(await count('order_placement.pending_order_summary WHERE lower(external_reference_identifier) = lower($1)', [ref])).toBe(2);
  });

  /** Completion events published since the queue was bound; the relay publishes after commit, so wait for them. */
  const seen: Array<Record<string, unknown>> = [];
  async function processedEvents(ref: string, atLeast: number): Promise<Array<Record<string, unknown>>> {
    return waitFor(`${atLeast} completion event(s) for ${ref}`, async () => {
      for (const m of await broker.drain(EVENTS_QUEUE)) seen.push(JSON.parse(m.content.toString()) as Record<string, unknown>);
      const mine = seen.filter((e) => e.ExternalReferenceIdentifier === ref);
      return mine.length >= atLeast ? mine : undefined;
    });
  }

  it('records a conversion failure on the pending record, keeps it, publishes the failure and answers a manual import with the error', async () => {
    await broker.channel.assertQueue(`${prefix}.${EVENTS_QUEUE}`, { durable: false });
    await broker.channel.bindQueue(`${prefix}.${EVENTS_QUEUE}`, broker.exchange('events'), 'pending-order.processed');
    const res = await post(POS, order('fail_realm@site@1', 1, { PayloadType: 'JSON_RAW', Payload: '{"orderItems": [{"sku": "A", "quantity": 0, "unitPrice": "1.00"}]}' }));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await waitFor('the failure to be recorded', async () => (await count(`order_placement.pending_order_summary WHERE external_reference_identifier = 'fail_realm@site@1' AND last_error_code = 'INVALID_ORDER_ITEMS'`)) === 1);
    const got = await call(`${POS}/${id}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ attributes: { type: 'PendingOrderSummary' }, Id: id, ExternalReferenceIdentifier: 'fail_realm@site@1', GrandTotalAmount: 123.45, CurrencyIsoCode: 'EUR', PayloadType: 'JSON_RAW' });
    const imported = await call(`${POS}/${id}`, { method: 'POST' });
    expect(imported.status).toBe(400);
    expect(((await imported.json()) as SfError[])[0]).toMatchObject({ errorCode: 'INVALID_ORDER_ITEMS', message: expect.stringContaining('quantity') });
    // One from the background conversion, one from the manual import.
    const failures = await processedEvents('fail_realm@site@1', 2);
    expect(failures[0]).toMatchObject({ IsSuccess: false, ErrorCode: 'INVALID_ORDER_ITEMS', ErrorMessage: expect.stringContaining('quantity') });
    expect(failures[0]).not.toHaveProperty('OrderSummaryId');
    expect((await call(`${POS}/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${POS}/${id}`)).status).toBe(404);
  });

  it('publishes one completion event per order of a converted chunk, each with its own message id', async () => {
    await broker.channel.assertQueue(`${prefix}.${EVENTS_QUEUE}`, { durable: false });
    await broker.channel.bindQueue(`${prefix}.${EVENTS_QUEUE}`, broker.exchange('events'), 'pending-order.processed');
    const refs = [0, 1, 2, 3].map((i) => `events_realm@site@${i}`);
    const bad = { PayloadType: 'JSON_RAW', Payload: '{"orderItems": [{"sku": "A", "quantity": 0, "unitPrice": "1.00"}]}' };
    const results = await bulk(refs.map((ref, i) => order(ref, i, i === 2 ? bad : {})));
    expect(results.every((r) => r.success)).toBe(true);
    const got: Array<{ id: string; body: Record<string, unknown> }> = [];
    await waitFor('an event for each order', async () => {
      for (const m of await broker.drain(EVENTS_QUEUE)) {
        const body = JSON.parse(m.content.toString()) as Record<string, unknown>;
        if (refs.includes(body.ExternalReferenceIdentifier as string)) got.push({ id: m.properties.messageId as string, body });
        else seen.push(body);
      }
      return got.length >= refs.length;
    });
    expect(got.map((e) => [e.body.ExternalReferenceIdentifier, e.body.IsSuccess]).sort()).toEqual(refs.map((ref, i) => [ref, i !== 2]).sort());
    expect(new Set(got.map((e) => e.id)).size).toBe(refs.length);
  });

  it('imports a pending order on demand exactly once, whichever of the import and the background conversion comes first', async () => {
    const res = await post(POS, order('manual_realm@site@1', 2));
    const { id } = (await res.json()) as { id: string };
    const imported = await call(`${POS}/${id}`, { method: 'POST' });
    expect([200, 404]).toContain(imported.status);
    if (imported.status === 200) expect(await imported.json()).toMatchObject({ id: expect.stringMatching(/^1Os/), success: true, ExternalReferenceIdentifier: 'manual_realm@site@1' });
    await waitFor('the summary', async () => (await count(`order_placement.order_summary WHERE external_reference_identifier = 'manual_realm@site@1'`)) === 1);
    const [summary] = await db.query<{ number: string }>(`SELECT "number" FROM order_placement.order_summary WHERE external_reference_identifier = 'manual_realm@site@1'`);
    const [done] = await processedEvents('manual_realm@site@1', 1);
    expect(done).toMatchObject({ IsSuccess: true, OrderSummaryId: encodeRecordId('1Os', Number(summary.number)), pendingOrderSummaryNumber: expect.any(Number) });
    expect(done).not.toHaveProperty('ErrorCode');
    expect((await call(`${POS}/${id}`, { method: 'POST' })).status).toBe(404);
    const again = await post(POS, order('manual_realm@site@1', 2));
    expect(again.status).toBe(400);
    expect(((await again.json()) as SfError[])[0]).toMatchObject({ errorCode: 'DUPLICATE_VALUE', message: expect.stringContaining('1Os') });
  });

  it('fails the conversion of a pending record whose identifier already has an OrderSummary: DUPLICATE_VALUE recorded, no second summary, no lines added', async () => {
    const ref = 'twice_realm@site@1';
    expect((await post(POS, order(ref, 2))).status).toBe(201);
    await waitFor('the summary', async () => (await count(`order_placement.order_summary WHERE external_reference_identifier = $1`, [ref])) === 1);
    // A pending record of the same identifier, as one that slipped past ingest's check in a race would be.
    const [{ number }] = await db.query<{ number: string }>(
      `INSERT INTO order_placement.pending_order_summary ("owner_id", "external_reference_identifier", "order_number", "ordered_date", "shopper_name", "billing_email_address", "grand_total_amount", "payload", "payload_type")
       SELECT "owner_id", "external_reference_identifier", 'ON-again', now(), 'Again', 'again@example.com', 1, '{"orderItems":[{"sku":"S","quantity":1,"unitPrice":"1.00"}]}', 'JSON_RAW'
         FROM order_placement.order_summary WHERE "external_reference_identifier" = $1 RETURNING "number"`,
      [ref],
    );
    const imported = await call(`${POS}/${encodeRecordId('0ps', Number(number))}`, { method: 'POST' });
    expect(imported.status).toBe(400);
    expect(((await imported.json()) as SfError[])[0]).toMatchObject({ errorCode: 'DUPLICATE_VALUE' });
    const [pending] = await db.query<{ last_error_code: string; account_number: string | null }>(`SELECT "last_error_code", "account_number" FROM order_placement.pending_order_summary WHERE "number" = $1`, [number]);
    expect(pending).toEqual({ last_error_code: 'DUPLICATE_VALUE', account_number: expect.any(String) });
    expect(await count(`order_placement.order_summary WHERE external_reference_identifier = $1`, [ref])).toBe(1);
    expect(await count(`order_placement.order_item_summary i JOIN order_placement.order_summary s ON s.number = i.order_summary_number WHERE s.external_reference_identifier = $1`, [ref])).toBe(LINES);
    // Lines carry no foreign key (they are written only with their summary): none may exist without one.
    expect(await count(`order_placement.order_item_summary i WHERE NOT EXISTS (SELECT 1 FROM order_placement.order_summary s WHERE s.number = i.order_summary_number)`)).toBe(0);
  });

  it('reads the OrderSummary a pending order became: retrieve with its lines, describe, SOQL, native get and list', async () => {
    const ref = 'follow_realm@site@1';
    const created = await post(POS, order(ref, 3));
    expect(created.status).toBe(201);
    const pendingId = ((await created.json()) as { id: string }).id;
    await waitFor('the summary', async () => (await count(`order_placement.order_summary WHERE external_reference_identifier = $1`, [ref])) === 1);
    const [row] = await db.query<{ number: string }>(`SELECT "number" FROM order_placement.order_summary WHERE external_reference_identifier = $1`, [ref]);
    const id = encodeRecordId('1Os', Number(row.number));
    const OS = `${V}/sobjects/OrderSummary`;

    // The converted pending record is gone; its id says so and names the summary it became.
    const gone = await call(`${POS}/${pendingId}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual([{ errorCode: 'ENTITY_IS_DELETED', message: `entity is deleted: converted to OrderSummary ${id}` }]);
    expect(((await (await call(`${POS}/${encodeRecordId('0ps', 999_999_999)}`)).json()) as SfError[])[0].errorCode).toBe('NOT_FOUND');

    const record = (await (await call(`${OS}/${id}`)).json()) as Record<string, unknown> & { OrderItemSummaries: { totalSize: number; done: boolean; records: Array<Record<string, unknown>> } };
    expect(record).toMatchObject({
      attributes: { type: 'OrderSummary', url: `${OS}/${id}` },
      Id: id,
      ExternalReferenceIdentifier: ref,
      OrderNumber: 'ON-3',
      Status: 'Created',
      CurrencyIsoCode: 'EUR',
      GrandTotalAmount: 123.45,
      TotalAmount: Math.round(EXPECTED_LINE_TOTAL * 100) / 100,
      AccountId: expect.stringMatching(/^001/),
      BillToContactId: expect.stringMatching(/^003/),
      OrderedDate: '2026-11-24T10:00:00.000+0000',
    });
    expect(record.OrderItemSummaries).toMatchObject({ totalSize: LINES, done: true });
    expect(record.OrderItemSummaries.records[0]).toEqual({ attributes: { type: 'OrderItemSummary' }, LineNumber: 1, StockKeepingUnit: 'SKU-1', Description: 'line 1', Quantity: 1, UnitPrice: 1.25, TotalPrice: 1.25 });
    expect((await call(`${OS}/${encodeRecordId('1Os', 999_999_999)}`)).status).toBe(404);
    expect((await call(`${OS}/001000000000001AAA`)).status).toBe(400);

    const collection = await post(`${V}/composite/sobjects/OrderSummary`, { ids: [id, encodeRecordId('1Os', 999_999_999)], fields: ['ExternalReferenceIdentifier', 'GrandTotalAmount'] });
    expect(await collection.json()).toEqual([{ attributes: { type: 'OrderSummary', url: `${OS}/${id}` }, Id: id, ExternalReferenceIdentifier: ref, GrandTotalAmount: 123.45 }, null]);

    const d = (await (await call(`${OS}/describe`)).json()) as { name: string; keyPrefix: string; queryable: boolean; fields: Array<{ name: string; type: string }> };
    expect(d).toMatchObject({ name: 'OrderSummary', keyPrefix: '1Os', queryable: true });
    expect(d.fields.find((f) => f.name === 'GrandTotalAmount')).toMatchObject({ type: 'currency' });
    const global = (await (await call(`${V}/sobjects`)).json()) as { sobjects: Array<{ name: string }> };
    expect(global.sobjects.map((o) => o.name)).toEqual(['AsyncOperationTracker', 'OrderSummary', 'PendingOrderSummary']);

    const soql = async (q: string, headers: Record<string, string> = {}) => {
      const r = await call(`${V}/query?q=${encodeURIComponent(q)}`, { headers });
      return { status: r.status, body: (await r.json()) as { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Array<Record<string, unknown>> } & SfError[] };
    };
    const followed = await soql(
      `SELECT Id, Status, Account.Name, ExternalReferenceIdentifier, GrandTotalAmount, TotalAmount, CurrencyIsoCode, CreatedDate FROM OrderSummary WHERE ExternalReferenceIdentifier = '${ref}'`,
    );
    expect(followed.status).toBe(200);
    expect(followed.body).toMatchObject({ totalSize: 1, done: true });
    expect(followed.body.records[0]).toMatchObject({
      attributes: { type: 'OrderSummary', url: `${OS}/${id}` },
      Id: id,
      Status: 'Created',
      Account: { attributes: { type: 'Account', url: expect.stringContaining('/sobjects/Account/001') }, Name: 'Shopper 3' },
      GrandTotalAmount: 123.45,
      CurrencyIsoCode: 'EUR',
      CreatedDate: expect.stringMatching(/\+0000$/),
    });
    const byAccount = await soql(`SELECT Id FROM OrderSummary WHERE AccountId = '${String(record.AccountId)}' AND GrandTotalAmount > 100.5 AND Status = 'Created' ORDER BY OrderedDate DESC, Id`);
    expect(byAccount.body.records.map((r) => r.Id)).toContain(id);
    expect((await soql(`SELECT Id FROM OrderSummary WHERE ExternalReferenceIdentifier = '${ref}' AND GrandTotalAmount < 100`)).body.totalSize).toBe(0);
    const all = await soql('SELECT Id FROM OrderSummary ORDER BY CreatedDate DESC', { 'Sforce-Query-Options': 'batchSize=200' });
    expect(all.body.done).toBe(all.body.totalSize <= 200);
    if (all.body.nextRecordsUrl) {
      const next = (await (await call(all.body.nextRecordsUrl)).json()) as { records: Array<{ Id: string }> };
      expect(next.records.length).toBeGreaterThan(0);
      expect(next.records.some((r) => all.body.records.some((x) => x.Id === r.Id))).toBe(false);
    }
    expect((await soql('SELECT COUNT() FROM OrderSummary')).body[0]).toMatchObject({ errorCode: 'MALFORMED_QUERY' });
    expect((await soql('SELECT Id FROM OrderSummary WHERE Foo = 1')).body[0]).toMatchObject({ errorCode: 'INVALID_FIELD' });

    const native = (await (await call(`/api/v1/order-summaries/${id}`)).json()) as Record<string, unknown> & { items: unknown[] };
    expect(native).toMatchObject({ id, externalReferenceIdentifier: ref, status: 'Created', grandTotalAmount: '123.45', currencyIsoCode: 'EUR', accountName: 'Shopper 3', pendingOrderSummaryId: expect.stringMatching(/^0ps/) });
    expect(native.items).toHaveLength(LINES);
    const one = (await (await call(`/api/v1/order-summaries?externalReferenceIdentifier=${encodeURIComponent(ref)}`)).json()) as { data: Array<{ id: string }>; hasMore: boolean };
    expect(one).toMatchObject({ data: [{ id }], hasMore: false });
    const first = await call('/api/v1/order-summaries?limit=2');
    const firstBody = (await first.json()) as { data: Array<{ id: string }>; nextCursor: string | null; hasMore: boolean };
    expect(firstBody.data).toHaveLength(2);
    expect(firstBody.hasMore).toBe(true);
    expect(first.headers.get('link')).toContain('rel="next"');
    const second = (await (await call(`/api/v1/order-summaries?limit=2&cursor=${firstBody.nextCursor as string}`)).json()) as { data: Array<{ id: string }> };
    expect(second.data.length).toBeGreaterThan(0);
    // Newest first: ids encode the number in order-preserving base 62.
    expect(second.data[0].id < firstBody.data[1].id).toBe(true);
    const bad = await call('/api/v1/order-summaries?limit=0&cursor=nope');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((await call(`/api/v1/order-summaries/${encodeRecordId('1Os', 999_999_999)}`)).status).toBe(404);
  });

  it('describes the object as seed 002 does', async () => {
    const res = await call(`${POS}/describe`);
    expect(res.status).toBe(200);
    const d = (await res.json()) as { name: string; createable: boolean; fields: Array<{ name: string; type: string; nillable: boolean; filterable: boolean; restrictedPicklist: boolean; picklistValues: Array<{ value: string }> }> };
    expect(d).toMatchObject({ name: 'PendingOrderSummary', createable: true, keyPrefix: '0ps' });
    const field = (n: string) => d.fields.find((f) => f.name === n);
    expect(field('GrandTotalAmount')).toMatchObject({ type: 'currency', nillable: false, filterable: true });
    expect(field('CurrencyIsoCode')?.picklistValues.map((p) => p.value)).toEqual(['DKK', 'EUR', 'GBP', 'USD']);
    expect(field('Payload')).toMatchObject({ type: 'textarea', filterable: false });
    expect((await call(`${POS}/describe/compactLayouts`)).status).toBe(200);
    expect(await (await call(`${POS}/quickActions`)).json()).toEqual([]);
  });

  it("answers the seed's SOQL examples on PendingOrderSummary and refuses its invalid one", async () => {
    // A payload conversion refuses keeps the record pending, with its shopper's account resolved.
    const ref = 'soql_realm@site@1';
    const res = await post(POS, order(ref, 7, { GrandTotalAmount: '92.00', CurrencyIsoCode: 'EUR', PayloadType: 'JSON_RAW', Payload: '{"orderItems": []}' }));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await waitFor('the failure to be recorded', async () => (await count(`order_placement.pending_order_summary WHERE external_reference_identifier = $1 AND account_number IS NOT NULL`, [ref])) === 1);
    const soql = async (q: string) => {
      const r = await call(`${V}/query?q=${encodeURIComponent(q)}`);
      return { status: r.status, body: (await r.json()) as { totalSize: number; done: boolean; records: Array<Record<string, unknown>> } & SfError[] };
    };
    const withParent = await soql(`SELECT ExternalReferenceIdentifier, Account.Name FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = '${ref}'`);
    expect(withParent.status).toBe(200);
    expect(withParent.body).toMatchObject({ totalSize: 1, done: true, records: [{ attributes: { type: 'PendingOrderSummary', url: expect.stringContaining(id) }, ExternalReferenceIdentifier: ref, Account: { attributes: { type: 'Account' }, Name: 'Shopper 7' } }] });
    const converted = await soql(`SELECT Id, convertCurrency(GrandTotalAmount) FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = '${ref}'`);
    expect(converted.body.records).toEqual([expect.objectContaining({ Id: id, GrandTotalAmount: 100 })]);
    const limited = await soql(`SELECT ExternalReferenceIdentifier FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = '${ref}' LIMIT 1`);
    expect(limited.body.records).toHaveLength(1);
    const record = (await (await call(`${POS}/${id}`)).json()) as { AccountId: string };
    expect(record.AccountId).toMatch(/^001/);
    const byAccount = await soql(`SELECT ExternalReferenceIdentifier FROM PendingOrderSummary WHERE AccountId = '${record.AccountId}'`);
    expect(byAccount.body.records.map((r) => r.ExternalReferenceIdentifier)).toContain(ref);
    // Text order follows the database's collation, so the directions are checked against each other.
    const sorted: string[][] = [];
    for (const order of ['', ' ASC NULLS FIRST', ' DESC NULLS LAST']) {
      const res = await soql(`SELECT ExternalReferenceIdentifier FROM PendingOrderSummary ORDER BY ExternalReferenceIdentifier${order}`);
      expect(res.status).toBe(200);
      sorted.push(res.body.records.map((r) => r.ExternalReferenceIdentifier as string));
    }
    expect(sorted[0].length).toBeGreaterThan(2);
    expect(sorted[1]).toEqual(sorted[0]);
    expect(sorted[2]).toEqual([...sorted[0]].reverse());
    const invalid = await soql("SELECT ExternalReferenceIdentifier FROM PendingOrderSummary WHERE ExternalReferenceIdentifier < 'a'");
    expect(invalid.status).toBe(400);
    expect(invalid.body[0]).toMatchObject({ errorCode: 'INVALID_QUERY_FILTER_OPERATOR' });
  });

  it('converts every pending order exactly once when order-placement is SIGKILLed mid-conversion and restarted', async () => {
    const n = 3000;
    const orders = Array.from({ length: n }, (_, i) => order(`kill_realm@site@${String(i).padStart(7, '0')}`, i));
    const results = await bulk(orders);
    expect(results.every((r) => r.success)).toBe(true);
    const converted = () => count(`order_placement.order_summary WHERE external_reference_identifier LIKE 'kill\\_%'`);
    await waitFor('conversion to be under way', async () => (await converted()) > 0, 30_000, 20);
    await placement.kill();
    const atKill = await converted();
    await placement.start();
    await waitFor('every pending order to convert', async () => (await converted()) === n, 120_000, 250);
    expect(await count(`order_placement.pending_order_summary WHERE external_reference_identifier LIKE 'kill\\_%'`)).toBe(0);
    expect(await count(`order_placement.order_item_summary i JOIN order_placement.order_summary s ON s.number = i.order_summary_number WHERE s.external_reference_identifier LIKE 'kill\\_%'`)).toBe(n * LINES);
    process.stdout.write(`pending orders: ${atKill}/${n} converted when order-placement was killed\n`);
  });
});
