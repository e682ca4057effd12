import * as amqp from 'amqplib';
import { OperationEvents, TrackerEvents } from '@asyncops/contracts';
import { CLIENT_A, CLIENT_B, ServiceProcess, sleep, Stack, startStack, TEST_AMQP_URL, TestBroker, waitFor } from '@asyncops/testing';
import { hashSecret } from '../src/core/auth/secret-hash';


interface OperationJson {
  id: string;
  status: string;
  jobType: string;
  successfulJobItems: number;
  failedJobItems: number;
  totalJobItems: number | null;
  childCount: number;
  parentOperationId: string | null;
  progress: number;
  cancelRequestedAt: string | null;
}

/**
 * The spine end to end: an external producer reports through RabbitMQ, the tracker applies, and
 * the gateway's native API answers, each app in its own process on the real broker and database.
 */
describe('native operations API (gateway + tracker, real broker and database)', () => {
  let stack: Stack;
  let broker: TestBroker;
  let prefix: string;
  let gateway: ServiceProcess;
  let tokenA: string;
  let tokenB: string;

  const api = (path: string, token: string | null = tokenA, init: RequestInit = {}) =>
    fetch(`${gateway.url}${path}`, {
      ...init,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;
  const now = () => new Date().toISOString();
  const report = (routingKey: string, body: Record<string, unknown>) => broker.publish(routingKey, body);
  const submit = (operationId: string, extra: Record<string, unknown> = {}) =>
    report(OperationEvents.Submitted, { operationId, occurredAt: now(), ownerId: CLIENT_A.id, jobType: 'PlaceQuote', producer: CLIENT_A.id, ...extra });

  beforeAll(async () => {
    stack = await startStack('gateway', { apps: ['tracker', 'gateway'], clients: { list: [CLIENT_A, CLIENT_B], hashSecret }, appEnv: { gateway: { WAIT_MAX_SECONDS: '20' } } });
    ({ broker, prefix, gateway } = stack);
    [tokenA, tokenB] = await Promise.all([stack.token(CLIENT_A), stack.token(CLIENT_B)]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows a parent rolled up from three children reported through RabbitMQ', async () => {
    const parent = crypto.randomUUID();
    const children = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await submit(parent);
    for (const c of children) await submit(c, { parentOperationId: parent, jobType: 'PlaceQuotePriceAsync', totalJobItems: 4 });
    for (const c of children) await report(OperationEvents.ItemsProgressed, { operationId: c, occurredAt: now(), succeeded: 3, failed: 1, failures: [{ itemKey: `${c}-line-4`, reason: 'no price' }] });
    await report(OperationEvents.Finished, { operationId: children[0], occurredAt: now(), status: 'CompletedWithFailures' });
    await report(OperationEvents.Finished, { operationId: children[1], occurredAt: now(), status: 'CompletedWithFailures' });

    const running = await waitFor('parent rolled up while running', async () => {
      const res = await api(`/api/v1/operations/${parent}`);
      const op = await json<OperationJson>(res);
      return op.successfulJobItems === 9 && op.childCount === 3 ? { res, op } : undefined;
    });
    expect(running.op).toMatchObject({ status: 'InProgress', totalJobItems: 12, failedJobItems: 3, progress: 100 });
    expect(running.res.headers.get('retry-after')).toBeTruthy();

    await report(OperationEvents.Finished, { operationId: children[2], occurredAt: now(), status: 'Completed' });
    const done = await waitFor('parent finished', async () => {
      const op = await json<OperationJson>(await api(`/api/v1/operations/${parent}`));
      return op.status !== 'InProgress' ? op : undefined;
    });
    expect(done).toMatchObject({ status: 'CompletedWithFailures', successfulJobItems: 9, failedJobItems: 3, childCount: 3 });

    for (const c of children) {
      const res = await api(`/api/v1/operations/${c}`);
      expect(res.status).toBe(200);
      const child = await json<OperationJson>(res);
      expect(child.parentOperationId).toBe(parent);
      expect(res.headers.get('retry-after')).toBeNull();
    }
    const failures = await json<{ data: Array<{ itemKey: string; reason: string }> }>(await api(`/api/v1/operations/${children[0]}/failures`));
    expect(failures.data).toEqual([expect.objectContaining({ itemKey: `${children[0]}-line-4`, reason: 'no price' })]);
  });

  it('filters and pages lists to exactly the expected records', async () => {
    const correlation = `batch-${crypto.randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = crypto.randomUUID();
      ids.push(id);
      await submit(id, { correlationIdentifier: correlation, jobType: i < 3 ? 'PlaceOrder' : 'QuoteToOrderJob', referenceEntityId: `801${i}` });
    }
    await report(OperationEvents.Started, { operationId: ids[0], occurredAt: now() });
    await report(OperationEvents.Started, { operationId: ids[3], occurredAt: now() });
    await waitFor('all five visible', async () => (await json<{ data: unknown[] }>(await api(`/api/v1/operations?correlationIdentifier=${correlation}`))).data.length === 5);
    await waitFor('two started', async () => (await json<{ data: unknown[] }>(await api(`/api/v1/operations?correlationIdentifier=${correlation}&status=InProgress`))).data.length === 2);

    const list = async (query: string) => json<{ data: OperationJson[]; nextCursor: string | null; hasMore: boolean }>(await api(`/api/v1/operations?correlationIdentifier=${correlation}&${query}`));
    expect((await list('status=InProgress')).data.map((o) => o.id).sort()).toEqual([ids[0], ids[3]].sort());
    expect((await list('jobType=PlaceOrder')).data.map((o) => o.id).sort()).toEqual(ids.slice(0, 3).sort());
    expect((await list('jobType=PlaceOrder&status=Submitted')).data.map((o) => o.id).sort()).toEqual([ids[1], ids[2]].sort());
    expect((await list('status=Submitted,InProgress&jobType=QuoteToOrderJob')).data.map((o) => o.id).sort()).toEqual([ids[3], ids[4]].sort());
    expect((await list('referenceEntityId=8012')).data.map((o) => o.id)).toEqual([ids[2]]);
    expect((await list(`submittedFrom=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).data).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { data: OperationJson[]; nextCursor: string | null; hasMore: boolean } = await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((o) => o.id));
      expect(page.hasMore).toBe(page.nextCursor !== null);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    // Pages concatenate to exactly the unpaged list: newest first, nothing skipped or repeated.
    const all = (await list('limit=200')).data.map((o) => o.id);
    expect(seen).toEqual(all);
    expect([...seen].sort()).toEqual([...ids].sort());
    expect((await list('status=Bogus')).data).toBeUndefined();
    expect((await api(`/api/v1/operations?status=Bogus`)).status).toBe(400);
  });

  it('answers a wait as soon as the operation finishes', async () => {
    const id = crypto.randomUUID();
    await submit(id);
    await waitFor('operation visible', async () => (await api(`/api/v1/operations/${id}`)).status === 200);
    const started = Date.now();
    const waiting = api(`/api/v1/operations/${id}?wait=15`).then(async (res) => ({ res, at: Date.now(), op: await json<OperationJson>(res) }));
    await sleep(1500);
    const finishedAt = Date.now();
    await report(OperationEvents.Finished, { operationId: id, occurredAt: now(), status: 'Completed' });
    const { res, at, op } = await waiting;
    expect(res.status).toBe(200);
    expect(op.status).toBe('Completed');
    expect(at).toBeGreaterThanOrEqual(finishedAt);
    expect(at - started).toBeLessThan(10_000);
    expect(res.headers.get('retry-after')).toBeNull();
  });

  it('creates an operation for an external producer that is readable at once, and cancels it', async () => {
    const res = await api('/api/v1/operations', tokenA, { method: 'POST', body: JSON.stringify({ jobType: 'PlaceOrder', totalJobItems: 10, correlationIdentifier: 'ext-1' }) });
    expect(res.status).toBe(201);
    const created = await json<OperationJson>(res);
    expect(res.headers.get('location')).toBe(`/api/v1/operations/${created.id}`);
    const read = await api(`/api/v1/operations/${created.id}`);
    expect(read.status).toBe(200);
    expect((await json<OperationJson>(read)).status).toBe('Submitted');

    const conn = await amqp.connect(TEST_AMQP_URL);
    const ch = await conn.createChannel();
    const { queue } = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(queue, `${prefix}.events`, TrackerEvents.CancelRequested);
    const cancel = await api(`/api/v1/operations/${created.id}/cancel`, tokenA, { method: 'POST', body: JSON.stringify({ reason: 'customer changed their mind' }) });
    expect(cancel.status).toBe(202);
    expect((await json<OperationJson>(cancel)).cancelRequestedAt).not.toBeNull();
    const told = await waitFor('producer told', async () => (await ch.get(queue, { noAck: false })) || undefined);
    expect(JSON.parse(told.content.toString())).toMatchObject({ operationId: created.id, producer: CLIENT_A.id, reason: 'customer changed their mind' });
    await conn.close();
  });

  it('hides another client’s operations and refuses requests without a valid token', async () => {
    const res = await api('/api/v1/operations', tokenA, { method: 'POST', body: JSON.stringify({ jobType: 'PlaceQuote' }) });
    const { id } = await json<OperationJson>(res);
    expect((await api(`/api/v1/operations/${id}`, tokenB)).status).toBe(404);
    expect((await api(`/api/v1/operations/${id}/cancel`, tokenB, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await json<{ data: OperationJson[] }>(await api('/api/v1/operations?limit=200', tokenB))).data.some((o) => o.id === id)).toBe(false);

    const anonymous = await api(`/api/v1/operations/${id}`, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    const forged = await api(`/api/v1/operations/${id}`, `${tokenA.slice(0, -3)}abc`);
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200);
  });
});
