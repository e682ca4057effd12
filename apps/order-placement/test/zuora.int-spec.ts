import { gzipSync } from 'node:zlib';
import { ServiceProcess, Stack, startStack, TestDatabase, waitFor } from '@asyncops/testing';

const CLIENT = { id: 'dev-client', secret: 'dev-secret' };

interface ZuoraJob {
  errors: string | null;
  result: Record<string, unknown> | null;
  status: 'Processing' | 'Completed' | 'Failed';
  success: boolean;
}

interface ZuoraError {
  success: false;
  processId: string;
  reasons: Array<{ code: number; message: string }>;
}

const subscription = (plans: Array<{ id: string; quantity?: number }>, extra: Record<string, unknown> = {}) => ({
  ...extra,
  orderActions: [
    {
      type: 'CreateSubscription',
      createSubscription: {
        subscribeToRatePlans: plans.map((p) => ({
          productRatePlanId: p.id,
          ...(p.quantity ? { chargeOverrides: [{ pricing: { recurringPerUnit: { quantity: p.quantity } } }] } : {}),
        })),
        terms: { initialTerm: { period: 12, periodType: 'Month', termType: 'TERMED' } },
      },
    },
  ],
});

const newAccount = { name: 'Acme Corp', currency: 'USD', billToContact: { firstName: 'Ada', lastName: 'Lovelace', country: 'US', state: 'CA' } };

/**
 * Seed 003's asynchronous orders end to end: gateway, order-placement and tracker as their own
 * processes on the real broker and database, driven only through the Zuora routes.
 */
describe('Zuora async orders (gateway + order-placement + tracker, real broker and database)', () => {
  jest.setTimeout(90_000);

  let stack: Stack;
  let db: TestDatabase;
  let gateway: ServiceProcess;
  let token: string;
  let accountNumber: string;
  let created: Record<string, unknown> = {};

  const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) => call(path, { method: 'POST', body: JSON.stringify(body), headers });

  async function job(jobId: string, headers: Record<string, string> = {}): Promise<Response> {
    return call(`/v1/async-jobs/${jobId}`, { headers });
  }

  async function finished(jobId: string): Promise<ZuoraJob> {
    return waitFor(`job ${jobId} to finish`, async () => {
      const res = await job(jobId);
      expect(res.status).toBe(200);
      const body = (await res.json()) as ZuoraJob;
      return body.status === 'Processing' ? undefined : body;
    }, 30_000, 50);
  }

  async function accepted(res: Response): Promise<string> {
    expect(res.status).toBe(202);
    const body = (await res.json()) as { jobId: string; success: boolean };
    expect(body).toEqual({ jobId: expect.stringMatching(/^[0-9a-f-]{36}$/), success: true });
    return body.jobId;
  }

  async function zuoraOrders(): Promise<number> {
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM order_placement.zuora_order');
    return row.n;
  }

  const order = (extra: Record<string, unknown> = {}) => ({
    orderDate: '2026-11-24',
    existingAccountNumber: accountNumber,
    subscriptions: [subscription([{ id: 'PLAN-BASIC' }])],
    ...extra,
  });

  beforeAll(async () => {
    stack = await startStack('zuora', { apps: ['tracker', 'order-placement', 'gateway'], env: { AMQP_DELIVERY_LIMIT: '3', OUTBOX_POLL_MS: '50' } });
    ({ db, gateway } = stack);
    token = await stack.token(CLIENT);
    const products = await post('/api/v1/products', {
      products: [
        { sku: 'PLAN-BASIC', name: 'Basic plan', unitPrice: '10.0000' },
        { sku: 'PLAN-ADDON', name: 'Add-on seat', unitPrice: '2.5000' },
        { sku: 'PLAN-RETIRED', name: 'Retired plan', unitPrice: '5.0000', active: false },
      ],
    });
    expect(products.status).toBe(201);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('is ready only with broker and database up', async () => {
    const res = await fetch(`${gateway.url}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ checks: { broker: { status: 'up' }, database: { status: 'up' } } });
  });

  it('creates an order with a new account, billing and payment, and reports it through GET /v1/async-jobs/{jobId}', async () => {
    const res = await post(
      '/v1/async/orders',
      {
        orderDate: '2026-11-24',
        newAccount,
        subscriptions: [subscription([{ id: 'PLAN-BASIC', quantity: 2 }, { id: 'PLAN-ADDON', quantity: 3 }]), subscription([{ id: 'PLAN-ADDON' }], { subscriptionNumber: 'SUB-ZT-1' })],
        processingOptions: { runBilling: true, collectPayment: true },
      },
      { 'Zuora-Track-Id': 'trace-4711/a.b_c' },
    );
    expect(res.headers.get('zuora-track-id')).toBe('trace-4711/a.b_c');
    const jobId = await accepted(res);

    // Read-your-writes: the job is known as soon as it was accepted.
    const first = await job(jobId);
    expect(first.status).toBe(200);
    expect(['Processing', 'Completed']).toContain(((await first.json()) as ZuoraJob).status);

    const done = await finished(jobId);
    expect(done).toMatchObject({ status: 'Completed', success: true, errors: null });
    const result = done.result ?? {};
    expect(result).toMatchObject({
      jobType: 'AsyncCreateOrder',
      orderNumber: expect.stringMatching(/^O-\d{8}$/),
      accountNumber: expect.stringMatching(/^A\d{8}$/),
      status: 'Completed',
      subscriptions: [
        { subscriptionNumber: expect.stringMatching(/^A-S\d{8}$/), status: 'Active' },
        { subscriptionNumber: 'SUB-ZT-1', status: 'Active' },
      ],
      invoiceNumbers: [expect.stringMatching(/^INV\d{8}$/)],
      paymentNumber: expect.stringMatching(/^P-\d{8}$/),
      // 2 × 10 + 3 × 2.5 + 1 × 2.5
      paidAmount: 30,
    });
    accountNumber = result.accountNumber as string;
    created = result;
    const [invoice] = await db.query<{ amount: string; balance: string }>(
      'SELECT i.amount, i.balance FROM order_placement.zuora_invoice i JOIN order_placement.zuora_order o ON o.id = i.order_id WHERE o.operation_id = $1',
      [jobId],
    );
    expect(invoice).toEqual({ amount: '30.0000', balance: '0.0000' });
  });

  it('previews an order against the existing account without writing subscriptions', async () => {
    const subscriptionsBefore = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM order_placement.zuora_subscription');
    const jobId = await accepted(await post('/v1/async/orders/preview', order({ previewOptions: { previewTypes: ['BillingDocs'] } })));
    const done = await finished(jobId);
    expect(done).toMatchObject({
      status: 'Completed',
      success: true,
      result: { jobType: 'AsyncPreviewOrder', accountNumber, previewResult: { invoices: [{ amount: 10, amountWithoutTax: 10 }] } },
    });
    expect(await db.query('SELECT count(*)::int AS n FROM order_placement.zuora_subscription')).toEqual(subscriptionsBefore);
  });

  it('reads the order and the subscriptions a create job made (GET /v1/orders/{orderNumber}, /v1/subscriptions/{subscriptionNumber}), owner only', async () => {
    const orderNumber = created.orderNumber as string;
    const [first] = created.subscriptions as Array<{ subscriptionNumber: string }>;
    const res = await call(`/v1/orders/${orderNumber}`, { headers: { 'Zuora-Track-Id': 'read-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('zuora-track-id')).toBe('read-1');
    const body = (await res.json()) as { success: boolean; order: Record<string, unknown> & { subscriptions: Array<Record<string, unknown>> } };
    expect(body).toMatchObject({
      success: true,
      order: {
        orderNumber,
        orderDate: '2026-11-24',
        existingAccountNumber: accountNumber,
        currency: 'USD',
        status: 'Completed',
        createdDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
        subscriptions: [
          {
            subscriptionNumber: first.subscriptionNumber,
            orderActions: [
              {
                type: 'CreateSubscription',
                createSubscription: {
                  subscribeToRatePlans: [
                    { productRatePlanId: 'PLAN-BASIC', chargeOverrides: [{ pricing: { recurringPerUnit: { quantity: 2, listPrice: 10 } } }] },
                    { productRatePlanId: 'PLAN-ADDON', chargeOverrides: [{ pricing: { recurringPerUnit: { quantity: 3, listPrice: 2.5 } } }] },
                  ],
                  terms: { initialTerm: { period: 12, periodType: 'Month', termType: 'TERMED' }, autoRenew: false },
                },
              },
            ],
          },
          { subscriptionNumber: 'SUB-ZT-1' },
        ],
      },
    });

    const sub = await call('/v1/subscriptions/SUB-ZT-1');
    expect(sub.status).toBe(200);
    expect(await sub.json()).toMatchObject({
      success: true,
      subscriptionNumber: 'SUB-ZT-1',
      accountNumber,
      accountName: 'Acme Corp',
      orderNumber,
      status: 'Active',
      termType: 'TERMED',
      initialTerm: 12,
      initialTermPeriodType: 'Month',
      subscriptionStartDate: '2026-11-24',
      subscriptionEndDate: '2027-11-24',
      currency: 'USD',
      contractedMrr: 2.5,
      totalContractedValue: 30,
      ratePlans: [{ productRatePlanId: 'PLAN-ADDON', ratePlanCharges: [{ quantity: 1, price: 2.5, mrr: 2.5, tcv: 30 }] }],
    });
    const firstSub = (await (await call(`/v1/subscriptions/${first.subscriptionNumber}`)).json()) as { contractedMrr: number };
    expect(firstSub.contractedMrr).toBe(27.5);

    for (const path of ['/v1/orders/O-99999999', '/v1/subscriptions/A-S99999999']) {
      const missing = await call(path);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ success: false, processId: expect.any(String), reasons: [{ code: 50000040, message: expect.stringContaining('does not exist') }] });
    }
    // Another owner's order and subscription read as absent.
    await db.query(`UPDATE order_placement.zuora_order SET owner_id = 'another-client' WHERE order_number = $1`, [orderNumber]);
    await db.query(`UPDATE order_placement.zuora_subscription SET owner_id = 'another-client' WHERE subscription_number = 'SUB-ZT-1'`);
    try {
      expect((await call(`/v1/orders/${orderNumber}`)).status).toBe(404);
      expect((await call('/v1/subscriptions/SUB-ZT-1')).status).toBe(404);
    } finally {
      await db.query(`UPDATE order_placement.zuora_order SET owner_id = $2 WHERE order_number = $1`, [orderNumber, CLIENT.id]);
      await db.query(`UPDATE order_placement.zuora_subscription SET owner_id = $1 WHERE subscription_number = 'SUB-ZT-1'`, [CLIENT.id]);
    }
    expect((await call(`/v1/orders/${orderNumber}`)).status).toBe(200);
  });

  it('fails the job, Zuora-style, when the account does not exist', async () => {
    const jobId = await accepted(await post('/v1/async/orders', order({ existingAccountNumber: 'A99999999' })));
    const done = await finished(jobId);
    expect(done).toMatchObject({ status: 'Failed', success: false, errors: expect.stringContaining('A99999999') });
  });

  it('answers an invalid body with a Zuora-shaped 400 naming the field', async () => {
    const res = await post('/v1/async/orders', { ...order(), orderDate: '24/11/2026', bogus: 1 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ZuoraError;
    expect(body).toEqual({ success: false, processId: expect.any(String), reasons: expect.any(Array) });
    expect(body.reasons).toEqual(
      expect.arrayContaining([
        { code: 53100020, message: expect.stringContaining('orderDate') },
        { code: 53100021, message: expect.stringContaining('bogus') },
      ]),
    );
  });

  it('refuses a bad Zuora-Track-Id with a Zuora-shaped 400', async () => {
    for (const bad of ['has:colon', 'semi;colon', 'quote"d', "apo'strophe", 'x'.repeat(65), 'caf\u00e9']) {
      const res = await post('/v1/async/orders', order(), { 'Zuora-Track-Id': bad });
      expect(res.status).toBe(400);
      const body = (await res.json()) as ZuoraError;
      expect(body.reasons[0]).toEqual({ code: 50000020, message: expect.stringContaining('Zuora-Track-Id') });
    }
    const ok = await job('00000000-0000-4000-8000-000000000000', { 'Zuora-Track-Id': 'x'.repeat(64) });
    expect(ok.status).toBe(404);
    expect(ok.headers.get('zuora-track-id')).toBe('x'.repeat(64));
    expect(((await ok.json()) as ZuoraError).reasons[0].code).toBe(50000040);
  });

  it('accepts a gzip request body, refuses unknown encodings with 415 and caps the decompressed size', async () => {
    const gz = await call('/v1/async/orders', { method: 'POST', body: gzipSync(JSON.stringify(order())), headers: { 'content-encoding': 'gzip' } });
    const jobId = await accepted(gz);
    expect((await finished(jobId)).status).toBe('Completed');

    const unknown = await call('/v1/async/orders', { method: 'POST', body: JSON.stringify(order()), headers: { 'content-encoding': 'compress' } });
    expect(unknown.status).toBe(415);
    expect(((await unknown.json()) as ZuoraError).reasons[0].code).toBe(50000045);

    // 40 MB of whitespace inflates past the body cap; a few kB on the wire.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"orderDate":"2026-11-24"'), Buffer.alloc(40 * 1024 * 1024, 0x20), Buffer.from('}')]));
    expect(bomb.length).toBeLessThan(100_000);
    const tooBig = await call('/v1/async/orders', { method: 'POST', body: bomb, headers: { 'content-encoding': 'gzip' } });
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as ZuoraError).success).toBe(false);
  });

  it('gzips responses over 1,000 bytes when Accept-Encoding asks, and only then', async () => {
    const many = Array.from({ length: 20 }, () => subscription([{ id: 'PLAN-BASIC' }]));
    const jobId = await accepted(await post('/v1/async/orders', order({ subscriptions: many })));
    await finished(jobId);
    const zipped = await job(jobId, { 'accept-encoding': 'gzip' });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const body = (await zipped.json()) as ZuoraJob;
    expect(JSON.stringify(body).length).toBeGreaterThan(1000);
    expect((body.result?.subscriptions as unknown[]).length).toBe(20);
    const plain = await job(jobId, { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    // Small answers stay uncompressed even when gzip is accepted.
    const small = await post('/v1/async/orders', order(), { 'accept-encoding': 'gzip' });
    expect(small.headers.get('content-encoding')).toBeNull();
    await accepted(small);
  });

  it('replays the first answer for the same idempotency-key and body, creating no second job', async () => {
    const key = `replay-${Date.now()}`;
    const before = await zuoraOrders();
    const first = await post('/v1/async/orders', order(), { 'idempotency-key': key });
    const jobId = await accepted(first);
    // Key order in the body does not make it a different request.
    const { subscriptions, ...rest } = order();
    const again = await post('/v1/async/orders', { subscriptions, ...rest }, { 'idempotency-key': key });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await accepted(again)).toBe(jobId);
    expect(await zuoraOrders()).toBe(before + 1);
    // The key belongs to this client and route: the preview route with the same key is a different request.
    const otherRoute = await post('/v1/async/orders/preview', order(), { 'idempotency-key': key });
    expect(otherRoute.status).toBe(422);
  });

  it('refuses the same idempotency-key with a different body (422) and a key over 255 characters (400)', async () => {
    const key = `conflict-${Date.now()}`;
    await accepted(await post('/v1/async/orders', order(), { 'idempotency-key': key }));
    const different = await post('/v1/async/orders', order({ orderDate: '2026-11-25' }), { 'idempotency-key': key });
    expect(different.status).toBe(422);
    expect(((await different.json()) as ZuoraError).reasons[0].code).toBe(50000030);

    const long = await post('/v1/async/orders', order(), { 'idempotency-key': 'k'.repeat(256) });
    expect(long.status).toBe(400);
    expect(((await long.json()) as ZuoraError).reasons[0].code).toBe(50000020);
  });

  it('runs parallel duplicates once: one job, 409 for the requests that overlap it', async () => {
    const key = `parallel-${Date.now()}`;
    const before = await zuoraOrders();
    const answers = await Promise.all(Array.from({ length: 6 }, () => post('/v1/async/orders', order(), { 'idempotency-key': key })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 202 || s === 409)).toBe(true);
    expect(statuses).toContain(409);
    const jobIds = new Set(await Promise.all(answers.filter((a) => a.status === 202).map(async (a) => ((await a.json()) as { jobId: string }).jobId)));
    expect(jobIds.size).toBe(1);
    const conflict = answers.find((a) => a.status === 409) as Response;
    expect(conflict.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await conflict.json()) as ZuoraError).reasons[0].code).toBe(50000050);
    expect(await zuoraOrders()).toBe(before + 1);
    // Once the first has answered, a retry gets its answer.
    const later = await post('/v1/async/orders', order(), { 'idempotency-key': key });
    expect(await accepted(later)).toBe([...jobIds][0]);
  });

  it('shows only Zuora jobs, and only the owner\'s', async () => {
    const notAJob = await job('not-a-uuid');
    expect(notAJob.status).toBe(404);
    expect(((await notAJob.json()) as ZuoraError).reasons[0].code).toBe(50000040);
    const unauthenticated = await fetch(`${gateway.url}/v1/async-jobs/00000000-0000-4000-8000-000000000000`);
    expect(unauthenticated.status).toBe(401);
    expect(((await unauthenticated.json()) as ZuoraError).reasons[0].code).toBe(50000011);
  });
});
