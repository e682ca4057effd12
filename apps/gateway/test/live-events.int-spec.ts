import { OperationEvents } from '@asyncops/contracts';
import { CLIENT_A, CLIENT_B, ServiceProcess, sleep, SseClient, Stack, startStack, TestBroker, waitFor } from '@asyncops/testing';
import { hashSecret } from '../src/core/auth/secret-hash';


type Change = { operationId: string; status: string; stepName: string | null; progress: number; version: number; successfulJobItems: number; jobType: string };

/**
 * The live event stream end to end: changes reported through RabbitMQ, applied by the tracker,
 * logged with a global sequence, and streamed by the gateway; each app in its own process.
 */
describe('live event stream (gateway + tracker, real broker and database)', () => {
  let stack: Stack;
  let broker: TestBroker;
  let gateway: ServiceProcess;
  let tokenA: string;
  let tokenB: string;
  const open: Array<SseClient<Change>> = [];

  const now = () => new Date().toISOString();
  const report = (routingKey: string, body: Record<string, unknown>) => broker.publish(routingKey, body);
  const submit = (operationId: string, owner = CLIENT_A.id, jobType = 'PlaceOrder') =>
    report(OperationEvents.Submitted, { operationId, occurredAt: now(), ownerId: owner, jobType, producer: 'test-producer', totalJobItems: 100 });
  const progress = (operationId: string) => report(OperationEvents.ItemsProgressed, { operationId, occurredAt: now(), succeeded: 10, failed: 0 });
  const stream = async (query: string, token: string, headers: Record<string, string> = {}) => {
    const client = await SseClient.open<Change>(`${gateway.url}/api/v1/events${query}`, { authorization: `Bearer ${token}`, ...headers });
    open.push(client);
    return client;
  };
  const versionOf = async (id: string, token = tokenA) => {
    const res = await fetch(`${gateway.url}/api/v1/operations/${id}`, { headers: { authorization: `Bearer ${token}` } });
    return res.ok ? ((await res.json()) as { version: number }).version : 0;
  };

  beforeAll(async () => {
    stack = await startStack('live', { apps: ['tracker', 'gateway'], clients: { list: [CLIENT_A, CLIENT_B], hashSecret } });
    ({ broker, gateway } = stack);
    [tokenA, tokenB] = await Promise.all([stack.token(CLIENT_A), stack.token(CLIENT_B)]);
  });

  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await stack?.stop();
  });

  it('resumes with Last-Event-ID after a disconnect mid-job and delivers every later event exactly once', async () => {
    const op = crypto.randomUUID();
    const first = await stream(`?operationId=${op}`, tokenA);
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('content-type')).toMatch(/^text\/event-stream/);

    await submit(op);
    await report(OperationEvents.Started, { operationId: op, occurredAt: now(), stepName: 'PlaceOrderValidate' });
    // The tracker applies events in micro-batches, one change per operation per batch: each event
    // is awaited so that every one is a change of its own.
    await waitFor('started applied', async () => (await versionOf(op)) === 2);
    for (let i = 0; i < 3; i++) {
      await progress(op);
      await waitFor(`progress ${i + 1} applied`, async () => (await versionOf(op)) === 3 + i);
    }
    await first.until('five changes streamed', ({ events: e }) => e.length === 5);
    await first.close();
    const seen = first.events;
    const lastId = seen[seen.length - 1].id;

    // Changes made while nobody is listening.
    for (let i = 0; i < 3; i++) {
      await progress(op);
      await waitFor(`offline progress ${i + 1} applied`, async () => (await versionOf(op)) === 6 + i);
    }

    const second = await stream(`?operationId=${op}`, tokenA, { 'last-event-id': lastId });
    expect(second.res.status).toBe(200);
    await second.until('offline changes replayed', ({ events: e }) => e.length === 3);
    // And live ones after the replay.
    await report(OperationEvents.StepChanged, { operationId: op, occurredAt: now(), stepName: 'PlaceOrderPersist' });
    // Consumed concurrently: a finish applied first would make the step change stale.
    await waitFor('step change applied', async () => (await versionOf(op)) === 9);
    await report(OperationEvents.Finished, { operationId: op, occurredAt: now(), status: 'Completed' });
    await second.until('finished streamed', ({ events: e }) => e.some((x) => x.data.status === 'Completed'));
    await sleep(500);

    const all = [...seen, ...second.events];
    expect(all.map((e) => e.data.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(all.every((e) => e.event === 'operation.changed' && e.data.operationId === op)).toBe(true);
    const ids = all.map((e) => Number(e.id));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true);
    expect(second.events.map((e) => e.data.successfulJobItems).slice(0, 3)).toEqual([40, 50, 60]);
    expect(all[all.length - 1].data).toMatchObject({ status: 'Completed', progress: 100, stepName: 'PlaceOrderPersist' });
  });

  it("streams only the caller's operations, filtered by job type, resuming from the lastEventId query", async () => {
    const mine = crypto.randomUUID();
    const otherType = crypto.randomUUID();
    const theirs = crypto.randomUUID();
    const all = await stream('', tokenA);
    const quotes = await stream('?jobType=PlaceQuote', tokenA);
    await submit(theirs, CLIENT_B.id, 'PlaceQuote');
    await submit(otherType, CLIENT_A.id, 'PlaceOrder');
    await submit(mine, CLIENT_A.id, 'PlaceQuote');
    await report(OperationEvents.Finished, { operationId: mine, occurredAt: now(), status: 'Failure', message: 'no price' });
    await quotes.until('my quote finished', ({ events: e }) => e.some((x) => x.data.status === 'Failure'));
    await all.until('both of mine', ({ events: e }) => e.filter((x) => x.data.operationId === mine).length === 2 && e.some((x) => x.data.operationId === otherType));
    expect(quotes.events.map((e) => [e.data.operationId, e.data.status])).toEqual([
      [mine, 'Submitted'],
      [mine, 'Failure'],
    ]);
    expect(all.events.some((e) => e.data.operationId === theirs)).toBe(false);
    expect(await versionOf(theirs, tokenB)).toBe(1);

    const resumed = await stream(`?jobType=PlaceQuote&lastEventId=${quotes.events[0].id}`, tokenA);
    await resumed.until('the failure replayed', ({ events: e }) => e.length === 1);
    expect(resumed.events[0].data).toMatchObject({ operationId: mine, status: 'Failure' });
  });

  it('refuses a malformed Last-Event-ID and an unauthenticated stream', async () => {
    const bad = await fetch(`${gateway.url}/api/v1/events`, { headers: { authorization: `Bearer ${tokenA}`, 'last-event-id': 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await bad.json()).toMatchObject({ errors: [expect.objectContaining({ field: 'Last-Event-ID' })] });
    const anonymous = await fetch(`${gateway.url}/api/v1/events`);
    expect(anonymous.status).toBe(401);
  });

  it('lets go of a stream when its client disconnects', async () => {
    const count = (event: string) => gateway.logs.filter((l) => l.event === event).length;
    const [openedBefore, closedBefore] = [count('live-stream-opened'), count('live-stream-closed')];
    const s = await stream('', tokenA);
    await waitFor('the stream opened on the server', async () => count('live-stream-opened') === openedBefore + 1);
    await s.close();
    await waitFor('the stream closed on the server', async () => count('live-stream-closed') === closedBefore + 1, 5_000);
    // The stream's registration went with it: another stream opens and works normally.
    const again = await stream('', tokenA);
    expect(again.res.status).toBe(200);
  });
});
