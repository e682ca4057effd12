import 'reflect-metadata';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { createTestDatabase, readOnlyDatabaseUrl, ServiceProcess, TestBroker, TestDatabase, uniquePrefix } from '@asyncops/testing';
import { hashSecret } from '../src/core/auth/secret-hash';
import { gatewayRoutes } from './gateway-routes';

/**
 * Property-based input fuzzing of every surface against the running stack: generated ids, query
 * strings, JSON bodies, headers, SOQL, CSV files and token requests are thrown at every route the
 * application's router has. Every answer must be a 2xx or a 4xx in the surface's own error shape,
 * within a per-request deadline, with no stack trace in it; the stack stays ready afterwards.
 *
 * The run is bounded (each property stops after its time share) and seeded: the seed is printed,
 * and `FUZZ_SEED=<seed>` replays the same inputs.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
/** A request without an answer by then is a hang. */
const REQUEST_TIMEOUT_MS = 15_000;
/** Each property's share of the run (about half a minute in all). */
const PROPERTY_MS = 4_000;
const V = 'v62.0';
const CLIENT = { id: 'fuzz-client', secret: 'fuzz-secret-0123456789' };
const IMPORTER_QUEUES = ['importer.rpc', 'importer.commands', 'importer.cancellations'];
const ORDER_PLACEMENT_QUEUES = ['order-placement.rpc', 'order-placement.commands', 'order-placement.conversion', 'order-placement.cancellations'];
const TRACKER_QUEUES = ['tracker.events', 'tracker.rpc', 'tracker.dead-letter-watch'];

/** Start-up compiles each app from source; on a busy machine that can take longer than the usual minute. */
const START_TIMEOUT_MS = 180_000;

type Surface = 'native' | 'salesforce' | 'voucherify' | 'zuora' | 'oauth' | 'health';

/** Which surface answers a path, and so which error shape it must use (the gateway's own rules, restated). */
function surfaceOf(path: string): Surface {
  // As the gateway sees it: the client resolves dot segments ("/v1/campaigns/.." is "/v1/").
  const p = new URL(path, 'http://gateway').pathname;
  if (p === '/oauth/token' || p === '/services/oauth2/token') return 'oauth';
  if (p === '/services/data' || p.startsWith('/services/data/')) return 'salesforce';
  if (/^\/v1\/(async|async-jobs)(\/|$)/.test(p) || p.startsWith('/v1/subscriptions/') || (p.startsWith('/v1/orders/') && !/^\/v1\/orders\/import\/?$/.test(p))) return 'zuora';
  if (/^\/v1\/(async-actions|vouchers|customers|products|skus|campaigns|metadata-schemas|orders\/import)(\/|$)/.test(p)) return 'voucherify';
  if (p.startsWith('/health')) return 'health';
  return 'native';
}

/** Why an error body is not in the surface's shape, or undefined when it is. */
function shapeProblem(surface: Surface, status: number, contentType: string, text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'the error body is not JSON';
  }
  const o = body as Record<string, unknown>;
  switch (surface) {
    case 'native':
      if (!contentType.startsWith('application/problem+json')) return `content type ${contentType}, not problem+json`;
      return o.status === status && typeof o.code === 'string' && typeof o.title === 'string' ? undefined : 'not a problem document {status, code, title}';
    case 'salesforce':
      return Array.isArray(body) && body.length > 0 && body.every((e) => typeof (e as { message?: unknown }).message === 'string' && typeof (e as { errorCode?: unknown }).errorCode === 'string')
        ? undefined
        : 'not [{message, errorCode}]';
    case 'voucherify':
      return o.code === status && typeof o.key === 'string' && typeof o.message === 'string' && typeof o.request_id === 'string' ? undefined : 'not {code, key, message, details, request_id}';
    case 'zuora':
      return o.success === false && Array.isArray(o.reasons) && o.reasons.length > 0 ? undefined : 'not {success: false, processId, reasons}';
    case 'oauth':
      return typeof o.error === 'string' ? undefined : 'not {error, error_description}';
    case 'health':
      return undefined;
  }
}

/** Text that only a leaked stack trace or internal error would put in an answer. */
const LEAK = /\n\s+at \S|\bat .+\((?:\/|node:)[^)]*:\d+:\d+\)|node_modules|\.ts:\d+|QueryFailedError|TypeError:|ReferenceError:|SyntaxError: Unexpected/;

interface Attempt {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer> | FormData;
}

// ---- generators -----------------------------------------------------------------------------

const printable = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });
const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const alnum = (length: number) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'), minLength: length, maxLength: length });

/** Path segments: well-formed ids of every surface, near misses, and hostile strings (some deliberately not percent-encoded). */
const rawSegments = ['..', '%', '%zz', '%E0%A4%A', '%00', '%2F..%2F', '%FF%FE', '%C0%AE', '.', '~', '%25'];
const idArb: fc.Arbitrary<string> = fc.oneof(
  fc.uuid().map(encodeURIComponent),
  hex(32).map((h) => `aa_${h}`),
  fc.tuple(fc.constantFrom('a0P', '0ps', '1Os', '801', '0Q0', '001'), fc.constantFrom(12, 15), alnum(15)).map(([p, n, s]) => p + s.slice(0, n)),
  fc.constantFrom('A00000001', 'O-00000001', 'A-S00000001', 'INV00000001', 'v_00000000000000000000000000000000', 'camp_1', 'cust_1'),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent),
  fc.constantFrom(...rawSegments),
  fc.constantFrom("' OR 1=1 --", '<script>', '{}', '[]', 'null', '-1', '0', '1e309', 'NaN', '9'.repeat(40), 'x'.repeat(3000)).map(encodeURIComponent),
);
const versionArb = fc.oneof({ weight: 4, arbitrary: fc.constant(V) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom('v1.0', 'v99.9', 'v62', '62.0', 'vx.y', 'v0.0'), idArb) });

const QUERY_KEYS = [
  'limit', 'offset', 'cursor', 'status', 'jobType', 'operationId', 'q', 'start', 'end', 'ids', 'fields', 'allOrNone', 'end_date', 'vouchers_count',
  'lastEventId', 'externalReferenceIdentifier', 'pageSize', 'page', 'sort', 'createdAfter', 'createdBefore', 'parentOperationId', 'afterRow', 'resource',
];
const jsonValue = fc.jsonValue({ maxDepth: 3 });
const queryValue = fc.oneof(fc.integer().map(String), fc.constantFrom('', '-1', '0', '1e9', 'true', 'null', '[]', '{}', '1,2,3'), fc.string({ maxLength: 30 }), idArb);
const queryArb = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.constantFrom('limit[$gt]', 'q[0]', 'a[b][c]', '__proto__', 'constructor'), fc.string({ maxLength: 10 })), queryValue), { maxLength: 5 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : ''));

const KNOWN_FIELDS = [
  'jobType', 'correlationIdentifier', 'parentOperationId', 'totalJobItems', 'reason', 'url', 'events', 'operationId', 'currency', 'paymentMethod', 'paymentTermDays',
  'items', 'sku', 'quantity', 'products', 'name', 'unitPrice', 'records', 'ids', 'fields', 'graph', 'pricingPref', 'orderDate', 'subscriptions', 'newAccount',
  'existingAccountNumber', 'code', 'codes', 'source_ids', 'metadata', 'code_config', 'category', 'active', 'Payload', 'PayloadType', 'ExternalReferenceIdentifier',
  'GrandTotalAmount', 'OrderedDate', 'allOrNone', 'Status', 'attributes',
];
const objectBody = fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_FIELDS), fc.string({ maxLength: 12 })), jsonValue, { maxKeys: 6 });
const jsonBodyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: objectBody.map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: fc.array(objectBody, { maxLength: 4 }).map((a) => JSON.stringify(a)) },
  { weight: 1, arbitrary: jsonValue.map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('{', '{"a":', '[1,', 'nul', '{"__proto__":{"x":1}}', '{"a":1}{"b":2}', '\u0000', '"\\ud800"')) },
);

/** Valid bodies of the main write routes; a property breaks one field at a time, which reaches deeper than random bodies. */
const pendingOrder = (payload: string, type = 'JSON_RAW') => ({
  ExternalReferenceIdentifier: 'fuzz_realm@site@1',
  OrderNumber: 'ON-1',
  OrderedDate: '2026-11-24T10:00:00.000Z',
  ShopperName: 'Shopper',
  BillingEmailAddress: 'shopper@example.com',
  CurrencyIsoCode: 'EUR',
  GrandTotalAmount: '2.50',
  PayloadType: type,
  Payload: payload,
});
const ORDER_PAYLOAD = JSON.stringify({ orderItems: [{ sku: 'SKU-1', quantity: 1, unitPrice: '2.50', description: 'line 1' }] });
const graph = (kind: 'Order' | 'Quote') => ({
  pricingPref: 'System',
  graph: {
    graphId: 'g1',
    records: [
      { referenceId: 'refHeader', record: { attributes: { type: kind, method: 'POST' }, CurrencyIsoCode: 'USD', ShippingCountryCode: 'US', ShippingStateCode: 'CA' } },
      {
        referenceId: 'refLine0',
        record: { attributes: { type: kind === 'Order' ? 'OrderItem' : 'QuoteLineItem', method: 'POST' }, [kind === 'Order' ? 'OrderId' : 'QuoteId']: '@{refHeader.id}', Product2Id: 'FUZZ-1', Quantity: 1 },
      },
    ],
  },
});
const zuoraOrder = {
  orderDate: '2026-11-24',
  newAccount: { name: 'Fuzz Corp', currency: 'USD', billToContact: { firstName: 'Ada', lastName: 'Lovelace', country: 'US', state: 'CA' } },
  subscriptions: [
    {
      orderActions: [
        {
          type: 'CreateSubscription',
          createSubscription: { subscribeToRatePlans: [{ productRatePlanId: 'FUZZ-1' }], terms: { initialTerm: { period: 12, periodType: 'Month', termType: 'TERMED' } } },
        },
      ],
    },
  ],
};
const TEMPLATES: Array<[string, string, unknown]> = [
  ['POST', '/api/v1/operations', { jobType: 'PlaceOrder', correlationIdentifier: 'fuzz', totalJobItems: 3 }],
  ['POST', '/api/v1/webhooks', { url: 'http://93.184.216.34/hook', events: ['finished'] }],
  ['POST', '/api/v1/carts', { currency: 'USD', paymentMethod: 'po-1', paymentTermDays: 30 }],
  ['POST', '/api/v1/products', { products: [{ sku: 'FUZZ-1', name: 'Rack', unitPrice: '10.0000' }] }],
  ['POST', '/api/v1/pending-orders', [pendingOrder(ORDER_PAYLOAD), pendingOrder(gzipSync(ORDER_PAYLOAD).toString('base64'), 'JSON_GZIP')]],
  ['POST', `/services/data/${V}/sobjects/PendingOrderSummary`, pendingOrder(gzipSync(ORDER_PAYLOAD).toString('base64'), 'JSON_GZIP')],
  ['POST', `/services/data/${V}/commerce/sales-orders/actions/place`, graph('Order')],
  ['POST', `/services/data/${V}/commerce/quotes/actions/place`, graph('Quote')],
  ['POST', `/services/data/${V}/composite/sobjects/AsyncOperationTracker`, { ids: ['a0P000000000001AAA'], fields: ['Id', 'Status'] }],
  ['POST', '/v1/async/orders', zuoraOrder],
  ['POST', '/v1/async/orders/preview', { ...zuoraOrder, previewOptions: { previewTypes: ['BillingDocs'], previewThruType: 'SpecificDate' } }],
  ['POST', '/v1/vouchers/import', [{ code: 'FUZZ-V1', type: 'DISCOUNT_VOUCHER', discount: { type: 'PERCENT', percent_off: 10 } }]],
  ['POST', '/v1/orders/import', [{ source_id: 'fuzz-o1', status: 'PAID', amount: 100, items: [{ sku_id: 'x', quantity: 1 }] }]],
  ['POST', '/v1/vouchers/bulk/async', [{ code: 'FUZZ-V1', metadata: { a: 1 } }]],
  ['POST', '/v1/customers/metadata/async', { source_ids: ['c1'], metadata: { tier: 'gold' } }],
  ['POST', '/v1/campaigns/fuzz-campaign/vouchers?vouchers_count=3', { code_config: { length: 8, charset: 'ABCDEF0123', prefix: 'F-', postfix: '' } }],
  ['PUT', '/v1/campaigns/fuzz-campaign', { category: 'x', active: true, metadata: { a: 1 } }],
];

/** Replaces the value at a random path of a JSON value (or drops the key), so one field at a time is wrong. */
function mutate(value: unknown, path: number[], replacement: unknown, drop: boolean): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return replacement;
  const [key, child] = entries[path[0] % entries.length];
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  if (path.length === 1 && drop && !Array.isArray(copy)) {
    delete copy[key];
    return copy;
  }
  (copy as Record<string, unknown>)[key] = mutate(child, path.slice(1), replacement, drop);
  return copy;
}

const headerValue = printable(60);
const headersArb: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'content-type': fc.oneof(
      fc.constantFrom('application/json', 'text/plain', 'application/x-ndjson', 'multipart/form-data', 'multipart/form-data; boundary=', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', '*/*'),
      headerValue,
    ),
    accept: fc.oneof(fc.constantFrom('application/json', 'text/event-stream', 'text/csv', '*/*', 'application/xml'), headerValue),
    'accept-encoding': fc.constantFrom('gzip', 'br', 'identity', 'gzip;q=0, *;q=0', 'x-unknown'),
    'idempotency-key': headerValue,
    'sforce-query-options': fc.oneof(fc.integer({ min: -10, max: 5000 }).map((n) => `batchSize=${n}`), headerValue),
    'zuora-track-id': headerValue,
    'last-event-id': fc.oneof(fc.nat().map(String), headerValue),
    'x-request-id': headerValue,
    'x-forwarded-for': fc.oneof(fc.ipV4(), fc.ipV6(), headerValue),
    'x-forwarded-proto': fc.constantFrom('https', 'http', 'gopher'),
    'x-forwarded-host': headerValue,
    authorization: fc.oneof(fc.constantFrom('Bearer ', 'Bearer x.y.z', 'Basic Zm9vOmJhcg==', 'bearer', 'Bearer eyJhbGciOiJub25lIn0.e30.'), headerValue.map((v) => `Bearer ${v}`)),
    'x-app-id': fc.oneof(fc.constant(CLIENT.id), headerValue),
  },
  { requiredKeys: [] },
);

// SOQL: the objects and fields the surface knows, operators, literals, and noise. The longest stays within
// Node's 16 KiB request head: a longer request line is refused by the HTTP parser (a bare 431) before any route sees it.
const SOQL_OBJECTS = ['AsyncOperationTracker', 'PendingOrderSummary', 'OrderSummary', 'Account', 'asyncoperationtracker', ''];
const SOQL_FIELDS = ['Id', 'Status', 'JobType', 'CreatedDate', 'CorrelationIdentifier', 'ParentOperationId', 'Progress', 'COUNT()', 'Name', 'ExternalReferenceIdentifier', '*', 'Foo__c'];
const soqlLiteral = fc.oneof(
  fc.string({ maxLength: 15 }).map((s) => `'${s.replace(/'/g, "\\'")}'`),
  fc.string({ maxLength: 15 }).map((s) => `'${s}'`),
  fc.integer().map(String),
  fc.constantFrom('NULL', 'TRUE', 'false', 'TODAY', 'LAST_N_DAYS:7', '2026-11-24T10:00:00Z', '2026-13-45', "('a','b')", '(', "'", '\\', ':bind'),
);
const soqlCondition = fc
  .tuple(fc.constantFrom(...SOQL_FIELDS), fc.constantFrom('=', '!=', '<', '>=', 'LIKE', 'IN', 'NOT IN', 'INCLUDES', '=='), soqlLiteral)
  .map(([f, op, v]) => `${f} ${op} ${v}`);
const soqlArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({
        fields: fc.array(fc.oneof(fc.constantFrom(...SOQL_FIELDS), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 4 }),
        from: fc.oneof(fc.constantFrom(...SOQL_OBJECTS), fc.string({ maxLength: 10 })),
        where: fc.option(fc.array(soqlCondition, { minLength: 1, maxLength: 3 }).chain((cs) => fc.constantFrom(' AND ', ' OR ', ' and ').map((j) => cs.join(j)))),
        order: fc.option(fc.tuple(fc.constantFrom(...SOQL_FIELDS), fc.constantFrom('ASC', 'DESC', 'NULLS LAST', 'sideways'))),
        limit: fc.option(fc.oneof(fc.integer({ min: -5, max: 100_000 }).map(String), fc.constantFrom('x', '1e3', ''))),
        offset: fc.option(fc.integer({ min: -5, max: 3000 })),
      })
      .map(
        ({ fields, from, where, order, limit, offset }) =>
          `SELECT ${fields.join(', ')} FROM ${from}${where ? ` WHERE ${where}` : ''}${order ? ` ORDER BY ${order.join(' ')}` : ''}${limit !== null ? ` LIMIT ${limit}` : ''}${offset !== null ? ` OFFSET ${offset}` : ''}`,
      ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.constantFrom('SELECT', 'SELECT FROM', 'SELECT Id FROM AsyncOperationTracker WHERE', "SELECT Id FROM AsyncOperationTracker WHERE Id = '", 'SELECT Id, (SELECT Id FROM x) FROM y', 'x'.repeat(12_000)) },
);

// CSV files: headers the import types know plus noise; cells with quotes, separators, line breaks, BOMs and bytes that are not UTF-8.
const CSV_COLUMNS = ['Code', 'Voucher Type', 'Value', 'Discount Type', 'Category', 'Start Date', 'Expiration Date', 'Redemption Limit', 'Active', 'source_id', 'name', 'email', 'price', 'product_id', 'sku'];
const csvCell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('"', '""', '"a,b"', '"open', 'a\nb', '"a\r\nb"', '\r', '', ' ', '-1', '1e309', 'DISCOUNT_VOUCHER', 'PERCENT', '2026-02-30', '\u0000', '=cmd|x'),
);
const csvArb: fc.Arbitrary<Uint8Array<ArrayBuffer>> = fc
  .record({
    header: fc.array(fc.oneof(fc.constantFrom(...CSV_COLUMNS), fc.string({ maxLength: 8 })), { minLength: 0, maxLength: 6 }),
    rows: fc.array(fc.array(csvCell, { maxLength: 7 }), { maxLength: 8 }),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    bom: fc.boolean(),
    tail: fc.option(fc.uint8Array({ maxLength: 16 })),
  })
  .map(({ header, rows, eol, bom, tail }) => {
    const text = `${bom ? '\ufeff' : ''}${[header, ...rows].map((r) => r.join(',')).join(eol)}${eol}`;
    return new Uint8Array(Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from(tail ?? [])]));
  });
const CSV_ROUTES = ['/v1/vouchers/importCSV', '/v1/customers/importCSV', '/v1/products/importCSV', '/v1/skus/importCSV', '/v1/campaigns/fuzz-campaign/importCSV'];

describe('input fuzzing of every surface (gateway + tracker + order-placement + importer)', () => {
  jest.setTimeout(600_000);

  let routes: string[];
  let db: TestDatabase;
  let broker: TestBroker;
  const apps: ServiceProcess[] = [];
  let gateway: ServiceProcess;
  let token: string;
  let sent = 0;
  /** Answers per surface and status, printed at the end: shows what the run reached. */
  const tally = new Map<string, number>();

  const auth = () => ({ authorization: `Bearer ${token}` });

  /** Sends one request and checks its answer; a failure names the request, the status and the body. */
  async function attempt(a: Attempt): Promise<void> {
    sent++;
    const surface = surfaceOf(a.path);
    let res: Response;
    try {
      res = await fetch(`${gateway.url}${a.path}`, { method: a.method, headers: a.headers, body: a.body, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (e) {
      throw new Error(`${a.method} ${a.path.slice(0, 300)}: no answer (${(e as Error).message}; cause ${String((e as { cause?: unknown }).cause)})`);
    }
    tally.set(`${surface} ${res.status}`, (tally.get(`${surface} ${res.status}`) ?? 0) + 1);
    const contentType = res.headers.get('content-type') ?? '';
    // An accepted live event stream stays open: its status line is the answer.
    if (res.status === 200 && contentType.startsWith('text/event-stream')) {
      await res.body?.cancel();
      return;
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw new Error(`${a.method} ${a.path.slice(0, 300)}: ${res.status}, body cut off (${(e as Error).message})`);
    }
    const where = `${a.method} ${a.path.slice(0, 300)} [${surface}] -> ${res.status} ${text.slice(0, 400)}`;
    if (res.status >= 500 || res.status < 200 || (res.status >= 300 && res.status < 400)) throw new Error(`${where}: neither 2xx nor 4xx`);
    if (LEAK.test(text)) throw new Error(`${where}: internal detail in the answer`);
    if (res.status >= 400) {
      const problem = shapeProblem(surface, res.status, contentType, text);
      if (problem) throw new Error(`${where}: ${problem}`);
    }
  }

  const run = <T>(arb: fc.Arbitrary<T>, toAttempt: (value: T) => Attempt, timeMs = PROPERTY_MS, numRuns = 100_000) =>
    fc.assert(
      fc.asyncProperty(arb, (value) => attempt(toAttempt(value))),
      // Bounded by time, not by count; the first failure ends the run unshrunk (shrinking over HTTP is slow), and the seed replays it.
      { seed: SEED, numRuns, interruptAfterTimeLimit: timeMs, markInterruptAsFailure: false, endOnFailure: true, verbose: 1 },
    );

  beforeAll(async () => {
    process.stdout.write(`fuzz.int-spec: fast-check seed ${SEED} (replay with FUZZ_SEED=${SEED})\n`);
    routes = await gatewayRoutes();
    db = await createTestDatabase('fuzz');
    broker = await TestBroker.connect(uniquePrefix('fuzz'));
    const common = { DATABASE_URL: db.url, AMQP_PREFIX: broker.prefix, OUTBOX_POLL_MS: '100' };
    apps.push(...(await Promise.all((['tracker', 'order-placement', 'importer'] as const).map((app) => ServiceProcess.start(app, common, START_TIMEOUT_MS)))));
    const gatewayEnv = {
      ...common,
      AUTH_CLIENTS: JSON.stringify([{ clientId: CLIENT.id, secretHash: await hashSecret(CLIENT.secret), name: 'Fuzz' }]),
      AUTH_TOKEN_SECRET: 'a-test-signing-key-that-is-long-enough-123',
      // The limits are proven by their own suites; here they would only turn every later answer into a 429.
      RATE_LIMIT_DEFAULT: '1000000/10s',
      RATE_LIMIT_PER_IP: '1000000/10s',
      RATE_LIMIT_TOKEN_ENDPOINT: '1000000/10s',
      AUTH_FAILURES_PER_IP: '1000000/1m',
      AUTH_FAILURES_PER_CLIENT: '1000000/1m',
      RPC_TIMEOUT_MS: '10000',
      // As deployed (docker-compose.yml): generated SOQL is read by the gateway itself (FOR VIEW by the tracker).
      READ_DATABASE_URL: readOnlyDatabaseUrl(db.url),
    };
    gateway = await ServiceProcess.start('gateway', gatewayEnv, START_TIMEOUT_MS);
    apps.push(gateway);
    const res = await fetch(`${gateway.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.id, client_secret: CLIENT.secret }).toString(),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });

  afterAll(async () => {
    const answers = [...tally].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}: ${n}`);
    process.stdout.write(`fuzz.int-spec: ${sent} requests, seed ${SEED}; answers ${answers.join(', ')}\n`);
    try {
      await Promise.all(apps.map((a) => a.stop()));
      await broker?.deleteTopology([...TRACKER_QUEUES, ...ORDER_PLACEMENT_QUEUES, ...IMPORTER_QUEUES]);
    } finally {
      await broker?.close();
      await db?.drop();
    }
  });

  it('answers generated ids, query strings and JSON bodies on every route of the router with a 2xx or a 4xx in the surface shape', async () => {
    expect(routes.length).toBeGreaterThan(40);
    // Routes in turn, three rounds, so every route is hit whatever the time share allows.
    let next = 0;
    const hit = new Set<string>();
    await run(
      fc.tuple(fc.infiniteStream(idArb), versionArb, queryArb, jsonBodyArb, fc.boolean()),
      ([ids, version, query, body, json]) => {
        const route = routes[next++ % routes.length];
        hit.add(route);
        const [method, template] = route.split(' ');
        const path = template.replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === 'version' ? version : (ids.next().value as string)));
        const hasBody = method !== 'GET' && method !== 'DELETE';
        return { method, path: `${path}${query}`, headers: { ...auth(), ...(hasBody ? { 'content-type': json ? 'application/json' : 'text/plain' } : {}) }, body: hasBody ? body : undefined };
      },
      PROPERTY_MS * 4,
      routes.length * 3,
    );
    expect(routes.filter((r) => !hit.has(r))).toEqual([]);
  });

  it('answers valid write bodies with one field broken at a time', async () => {
    await run(
      fc.tuple(fc.constantFrom(...TEMPLATES), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), jsonValue, fc.boolean()),
      ([[method, path, body], at, replacement, drop]) => ({ method, path, headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(mutate(body, at, replacement, drop)) }),
    );
  });

  it('answers generated headers (content types, encodings, idempotency keys, credentials, proxies) on every surface', async () => {
    await run(
      fc.tuple(fc.constantFrom(...TEMPLATES), headersArb, fc.boolean(), fc.constantFrom('json', 'gzip-garbage', 'gzip-json', 'empty')),
      ([[method, path, body], headers, keepAuth, encoding]) => {
        const json = JSON.stringify(body);
        const payload = encoding === 'json' ? json : encoding === 'gzip-json' ? new Uint8Array(gzipSync(json)) : encoding === 'gzip-garbage' ? new Uint8Array(Buffer.from('not gzip at all')) : '';
        const h: Record<string, string> = { 'content-type': 'application/json', ...(keepAuth ? auth() : {}), ...headers };
        if (encoding.startsWith('gzip')) h['content-encoding'] = 'gzip';
        // A wrong X-App pair costs a key derivation: only names that are not a client are generated with a token.
        if (h['x-app-id'] !== undefined) h['x-app-token'] = 'not-the-secret';
        return { method, path, headers: h, body: payload };
      },
    );
  });

  it('answers generated SOQL on query and queryAll, read-only and paged', async () => {
    await run(
      fc.tuple(soqlArb, fc.constantFrom('query', 'queryAll'), fc.option(fc.integer({ min: -1, max: 3000 }))),
      ([q, route, batch]) => ({
        method: 'GET',
        path: `/services/data/${V}/${route}?q=${encodeURIComponent(q)}`,
        headers: { ...auth(), ...(batch !== null ? { 'sforce-query-options': `batchSize=${batch}` } : {}) },
      }),
    );
  });

  it('answers generated CSV files on every importCSV route, and broken multipart bodies', async () => {
    await run(
      fc.tuple(fc.constantFrom(...CSV_ROUTES), csvArb, fc.constantFrom('file', 'other', 'truncated')),
      ([path, csv, field]) => {
        if (field === 'truncated') {
          // A part that never ends: no closing boundary.
          const head = Buffer.from('--b0undary\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\n');
          return { method: 'POST', path, headers: { ...auth(), 'content-type': 'multipart/form-data; boundary=b0undary' }, body: new Uint8Array(Buffer.concat([head, Buffer.from(csv)])) };
        }
        const form = new FormData();
        form.append(field, new Blob([csv], { type: 'text/csv' }), 'import.csv');
        return { method: 'POST', path, headers: auth(), body: form };
      },
    );
  });

  it('answers generated token requests in the OAuth shape', async () => {
    await run(
      fc.tuple(
        fc.constantFrom('/oauth/token', '/services/oauth2/token'),
        fc.dictionary(fc.oneof(fc.constantFrom('grant_type', 'client_id', 'client_secret', 'scope', 'username', 'password'), fc.string({ maxLength: 8 })), fc.oneof(fc.constantFrom('client_credentials', 'password', CLIENT.id, ''), fc.string({ maxLength: 30 })), { maxKeys: 5 }),
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain'),
      ),
      ([path, fields, type]) => {
        // The right secret is never generated, and a wrong one for the real client costs a derivation: keep those few.
        const f = { ...fields };
        if (f.client_id === CLIENT.id) f.client_secret = 'wrong';
        return { method: 'POST', path, headers: { 'content-type': type }, body: type === 'application/json' ? JSON.stringify(f) : new URLSearchParams(f).toString() };
      },
      PROPERTY_MS / 2,
    );
  });

  it('answers the inputs earlier runs found failing with a 400 in the surface shape (NUL characters in ids, queries and bodies)', async () => {
    const nul = JSON.stringify('a\u0000b');
    const cases: Attempt[] = [
      ...['/v1/customers/%00', '/v1/vouchers/a%00', '/v1/campaigns/%00', '/api/v1/operations/%00', `/services/data/${V}/sobjects/AsyncOperationTracker/%00`, '/v1/orders/%00', '/v1/async-jobs/%00'].map((path) => ({ method: 'GET', path, headers: auth() })),
      { method: 'GET', path: `/services/data/${V}/query?q=${encodeURIComponent("SELECT Id FROM AsyncOperationTracker WHERE CorrelationIdentifier = '")}%00'`, headers: auth() },
      { method: 'POST', path: '/api/v1/operations', headers: { ...auth(), 'content-type': 'application/json' }, body: `{"jobType":"PlaceOrder","correlationIdentifier":${nul}}` },
      { method: 'POST', path: '/v1/vouchers/import', headers: { ...auth(), 'content-type': 'application/json' }, body: `[{"code":${nul},"type":"DISCOUNT_VOUCHER"}]` },
      { method: 'POST', path: `/services/data/${V}/sobjects/PendingOrderSummary`, headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(pendingOrder(ORDER_PAYLOAD)).replace('"Shopper"', nul) },
    ];
    for (const c of cases) {
      await attempt(c);
      const res = await fetch(`${gateway.url}${c.path}`, { method: c.method, headers: c.headers, body: c.body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      expect([c.method, c.path, res.status]).toEqual([c.method, c.path, 400]);
    }
  });

  it('is still ready afterwards, every process of it', async () => {
    expect(sent).toBeGreaterThan(100);
    for (const app of apps) {
      const res = await fetch(`${app.url}/health/ready`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      expect([app.url, res.status]).toEqual([app.url, 200]);
    }
  });
});
