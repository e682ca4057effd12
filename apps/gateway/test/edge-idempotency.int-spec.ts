import { ServiceProcess, sleep, Stack, startStack } from '@asyncops/testing';

/** Short, so the expiry case needs seconds, not a day. */
const TTL_SECONDS = 3;

interface OperationJson {
  id: string;
  correlationIdentifier: string | null;
}

/**
 * Idempotency-Key on the starting routes, end to end: gateway, tracker and order-placement as
 * their own processes on the real broker and database, the key records in the gateway's schema.
 */
describe('Idempotency-Key on the gateway routes (gateway + tracker + order-placement, real broker and database)', () => {
  jest.setTimeout(120_000);

  let stack: Stack;
  let tracker: ServiceProcess;
  let gateway: ServiceProcess;
  let token: string;

  const post = (path: string, body: unknown, key?: string) =>
    fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key === undefined ? {} : { 'Idempotency-Key': key }) },
      body: JSON.stringify(body),
    });
  const operationsOf = async (correlation: string): Promise<OperationJson[]> => {
    const res = await fetch(`${gateway.url}/api/v1/operations?correlationIdentifier=${encodeURIComponent(correlation)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: OperationJson[] }).data;
  };
  const create = (correlation: string, key: string, extra: Record<string, unknown> = {}) => post('/api/v1/operations', { jobType: 'PlaceOrder', correlationIdentifier: correlation, ...extra }, key);

  beforeAll(async () => {
    stack = await startStack('edge_idem', { apps: ['tracker', 'order-placement', 'gateway'], appEnv: { gateway: { IDEMPOTENCY_TTL_SECONDS: String(TTL_SECONDS) } } });
    ({ tracker, gateway } = stack);
    token = await stack.token();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('replays the first answer to a retry and creates no second operation', async () => {
    const first = await create('idem-replay', 'replay-1', { totalJobItems: 5 });
    expect(first.status).toBe(201);
    const body = (await first.json()) as OperationJson;
    const retry = await create('idem-replay', 'replay-1', { totalJobItems: 5 });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(`/api/v1/operations/${body.id}`);
    expect(await retry.json()).toEqual(body);
    expect((await operationsOf('idem-replay')).map((o) => o.id)).toEqual([body.id]);
  });

  it('refuses the key with a different body with 422 and starts nothing', async () => {
    expect((await create('idem-changed', 'changed-1', { totalJobItems: 1 })).status).toBe(201);
    const changed = await create('idem-changed', 'changed-1', { totalJobItems: 2 });
    expect(changed.status).toBe(422);
    expect(await changed.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 });
    expect(await operationsOf('idem-changed')).toHaveLength(1);
  });

  it('answers 409 to duplicates sent while the first is still running, then replays; one operation in all', async () => {
    // The tracker is frozen, so the first request is certainly still running when the others arrive.
    const trackerPid = tracker.pid;
    if (!trackerPid) throw new Error('the tracker process is not running');
    process.kill(trackerPid, 'SIGSTOP');
    let first: Promise<Response>;
    let duplicates: Response[];
    try {
      first = create('idem-parallel', 'parallel-1');
      await sleep(500);
      duplicates = await Promise.all(Array.from({ length: 5 }, () => create('idem-parallel', 'parallel-1')));
    } finally {
      process.kill(trackerPid, 'SIGCONT');
    }
    expect(duplicates.map((r) => r.status)).toEqual([409, 409, 409, 409, 409]);
    expect(duplicates[0].headers.get('retry-after')).toBeTruthy();
    expect(await duplicates[0].json()).toMatchObject({ code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS' });
    const created = await first;
    expect(created.status).toBe(201);
    const body = (await created.json()) as OperationJson;
    const later = await create('idem-parallel', 'parallel-1');
    expect(later.headers.get('idempotent-replayed')).toBe('true');
    expect(((await later.json()) as OperationJson).id).toBe(body.id);
    expect((await operationsOf('idem-parallel')).map((o) => o.id)).toEqual([body.id]);
  });

  it('forgets a key after its time to live: the same request then starts a new operation', async () => {
    const first = (await (await create('idem-expiry', 'expiry-1')).json()) as OperationJson;
    await sleep(TTL_SECONDS * 1000 + 500);
    const again = await create('idem-expiry', 'expiry-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    const second = (await again.json()) as OperationJson;
    expect(second.id).not.toBe(first.id);
    expect((await operationsOf('idem-expiry')).map((o) => o.id).sort()).toEqual([first.id, second.id].sort());
  });

  it("replays Salesforce's PendingOrderSummary create instead of answering a duplicate", async () => {
    const order = {
      ExternalReferenceIdentifier: 'idem_realm@site@1',
      OrderNumber: 'ON-IDEM-1',
      OrderedDate: '2026-11-24T10:00:00.000Z',
      ShopperName: 'Shopper',
      BillingEmailAddress: 'shopper@example.com',
      CurrencyIsoCode: 'EUR',
      GrandTotalAmount: '1.25',
      PayloadType: 'JSON_RAW',
      Payload: JSON.stringify({ orderItems: [{ sku: 'SKU-1', quantity: 1, unitPrice: '1.25' }] }),
    };
    const path = '/services/data/v62.0/sobjects/PendingOrderSummary';
    const first = await post(path, order, 'pos-1');
    expect(first.status).toBe(201);
    const saved = (await first.json()) as { id: string; success: boolean };
    expect(saved.success).toBe(true);
    const retry = await post(path, order, 'pos-1');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(saved);
    // Without the key the same order is a duplicate: the replay above did not insert it again.
    const unkeyed = await post(path, order);
    expect(unkeyed.status).toBe(400);
    expect(await unkeyed.json()).toEqual([expect.objectContaining({ errorCode: expect.stringMatching(/DUPLICATE/) })]);
    const changed = await post(path, { ...order, OrderNumber: 'ON-IDEM-2' }, 'pos-1');
    expect(changed.status).toBe(422);
    expect(await changed.json()).toEqual([expect.objectContaining({ errorCode: 'IDEMPOTENCY_KEY_REUSED' })]);
  });
});
