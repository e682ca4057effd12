import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { OperationEvents, verifyWebhookSignature, WebhookHeaders } from '@asyncops/contracts';
import { CLIENT_A, CLIENT_B, ServiceProcess, sleep, Stack, startStack, TestBroker, waitFor } from '@asyncops/testing';
import { hashSecret } from '../src/core/auth/secret-hash';

const MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 200;
const TIMEOUT_MS = 3000;
const CONCURRENCY = 4;
const PER_WEBHOOK = 2;

interface Received {
  at: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on 127.0.0.1 whose answer to the n-th request (1-based) the test decides. */
class Receiver {
  readonly received: Received[] = [];
  private server!: Server;
  private readonly hanging = new Set<ServerResponse>();

  constructor(private readonly answer: (n: number) => number | 'hang') {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = this.answer(this.received.length);
        if (status === 'hang') {
          this.hanging.add(res);
          return;
        }
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

interface DeliveryJson {
  id: string;
  webhookId: string;
  event: string;
  status: string;
  attempts: number;
  lastResponseStatus: number | null;
  attemptLog: Array<{ attempt: number; responseStatus: number | null; error: string | null }>;
}

/** Webhooks end to end: registration at the gateway, deliveries queued and sent by the tracker. */
describe('webhooks (gateway + tracker, real broker and database, receivers on 127.0.0.1)', () => {
  let stack: Stack;
  let broker: TestBroker;
  let tracker: ServiceProcess;
  let gateway: ServiceProcess;
  let tokenA: string;
  let tokenB: string;
  const receivers: Receiver[] = [];

  const now = () => new Date().toISOString();
  const report = (routingKey: string, body: Record<string, unknown>) => broker.publish(routingKey, body);
  const submit = (operationId: string) => report(OperationEvents.Submitted, { operationId, occurredAt: now(), ownerId: CLIENT_A.id, jobType: 'PlaceOrder', producer: 'test-producer' });
  const finish = (operationId: string, status = 'Completed') => report(OperationEvents.Finished, { operationId, occurredAt: now(), status });
  const api = (path: string, init: RequestInit = {}, token = tokenA) =>
    fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const receiver = async (answer: (n: number) => number | 'hang') => {
    const r = await new Receiver(answer).start();
    receivers.push(r);
    return r;
  };
  const register = async (body: Record<string, unknown>, token = tokenA) => {
    const res = await api('/api/v1/webhooks', { method: 'POST', body: JSON.stringify(body) }, token);
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; secret: string; url: string; events: string[] };
  };
  const deliveries = async (operationId: string) => ((await (await api(`/api/v1/operations/${operationId}/webhook-deliveries`)).json()) as { data: DeliveryJson[] }).data;
  const operationExists = (id: string) => waitFor(`operation ${id} recorded`, async () => (await api(`/api/v1/operations/${id}`)).status === 200);

  beforeAll(async () => {
    stack = await startStack('webhooks', {
      apps: ['tracker', 'gateway'],
      clients: { list: [CLIENT_A, CLIENT_B], hashSecret },
      // The receivers listen on 127.0.0.1, which webhooks may only reach when this is set.
      env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
      appEnv: {
        tracker: {
          WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
          WEBHOOK_BASE_DELAY_MS: String(BASE_DELAY_MS),
          WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
          WEBHOOK_POLL_MS: '50',
          WEBHOOK_CONCURRENCY: String(CONCURRENCY),
          WEBHOOK_CONCURRENCY_PER_WEBHOOK: String(PER_WEBHOOK),
        },
      },
    });
    ({ broker, tracker, gateway } = stack);
    [tokenA, tokenB] = await Promise.all([stack.token(CLIENT_A), stack.token(CLIENT_B)]);
  });

  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await stack?.stop();
  });

  it('registers, lists, rotates and deletes webhooks owned by the caller, and refuses non-http(s) URLs', async () => {
    const bad = await api('/api/v1/webhooks', { method: 'POST', body: JSON.stringify({ url: 'ftp://127.0.0.1/hook', events: ['finished'] }) });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'url', rule: 'isHttpUrl' })] });

    const created = await register({ url: 'https://hooks.example.com/a', events: ['finished', 'failed'], jobType: 'PlaceOrder' });
    expect(created.secret).toMatch(/^whsec_/);
    const listed = (await (await api('/api/v1/webhooks')).json()) as { data: Array<Record<string, unknown>> };
    expect(listed.data).toEqual([expect.objectContaining({ id: created.id, url: 'https://hooks.example.com/a', events: ['finished', 'failed'], jobType: 'PlaceOrder' })]);
    expect(listed.data[0]).not.toHaveProperty('secret');
    expect(((await (await api('/api/v1/webhooks', {}, tokenB)).json()) as { data: unknown[] }).data).toEqual([]);

    const rotated = await api(`/api/v1/webhooks/${created.id}/rotate-secret`, { method: 'POST' });
    expect(rotated.status).toBe(200);
    const { secret } = (await rotated.json()) as { secret: string };
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(created.secret);

    expect((await api(`/api/v1/webhooks/${created.id}`, { method: 'DELETE' }, tokenB)).status).toBe(404);
    expect((await api(`/api/v1/webhooks/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/v1/webhooks/${created.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await api('/api/v1/webhooks/not-a-uuid', { method: 'DELETE' })).status).toBe(404);
  });

  it('signs each delivery so the receiver can verify it, and sends only the chosen events', async () => {
    const op = crypto.randomUUID();
    const r = await receiver(() => 200);
    const failedOnly = await receiver(() => 200);
    const hook = await register({ url: r.url, events: ['finished'], operationId: op });
    await register({ url: failedOnly.url, events: ['failed'], operationId: op });
    await submit(op);
    await operationExists(op);
    await finish(op);
    await waitFor('the delivery', async () => r.received.length === 1);

    const [req] = r.received;
    const signature = req.headers[WebhookHeaders.Signature] as string;
    expect(verifyWebhookSignature(signature, req.body, hook.secret)).toEqual({ ok: true, timestamp: Number(req.headers[WebhookHeaders.Timestamp]) });
    expect(verifyWebhookSignature(signature, req.body.replace('Completed', 'Failure'), hook.secret).ok).toBe(false);
    const body = JSON.parse(req.body) as { id: string; event: string; data: Record<string, unknown> };
    expect(body).toMatchObject({ event: 'finished', data: { operationId: op, status: 'Completed', progress: 100 } });
    expect(req.headers[WebhookHeaders.Delivery]).toBe(body.id);
    expect(req.headers[WebhookHeaders.Event]).toBe('finished');

    await waitFor('delivery recorded', async () => (await deliveries(op)).some((d) => d.status === 'delivered'));
    expect(await deliveries(op)).toEqual([expect.objectContaining({ webhookId: hook.id, event: 'finished', status: 'delivered', attempts: 1, lastResponseStatus: 200 })]);
    await sleep(300);
    expect(failedOnly.received).toHaveLength(0);
    expect((await api(`/api/v1/operations/${op}/webhook-deliveries`, {}, tokenB)).status).toBe(404);
  });

  it('retries a receiver that fails twice and delivers exactly once, after two retries with backoff', async () => {
    const op = crypto.randomUUID();
    const r = await receiver((n) => (n <= 2 ? 503 : 200));
    await register({ url: r.url, events: ['finished'], operationId: op });
    await submit(op);
    await operationExists(op);
    await finish(op);
    await waitFor('delivered', async () => (await deliveries(op))[0]?.status === 'delivered', 15_000);
    await sleep(BASE_DELAY_MS * 3);

    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((x) => JSON.parse(x.body).id)).size).toBe(1);
    const gaps = [r.received[1].at - r.received[0].at, r.received[2].at - r.received[1].at];
    expect(gaps[0]).toBeGreaterThanOrEqual(BASE_DELAY_MS - 20);
    expect(gaps[1]).toBeGreaterThanOrEqual(BASE_DELAY_MS * 2 - 20);
    const [d] = await deliveries(op);
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, lastResponseStatus: 200 });
    expect(d.attemptLog.map((a) => [a.attempt, a.responseStatus])).toEqual([
      [1, 503],
      [2, 503],
      [3, 200],
    ]);
  });

  it('dead-letters a delivery after the last attempt to a receiver that never succeeds', async () => {
    const op = crypto.randomUUID();
    const r = await receiver(() => 500);
    await register({ url: r.url, events: ['failed'], operationId: op });
    await submit(op);
    await operationExists(op);
    await finish(op, 'Failure');
    await waitFor('dead', async () => (await deliveries(op))[0]?.status === 'dead', 15_000);
    await sleep(BASE_DELAY_MS * 5);

    expect(r.received).toHaveLength(MAX_ATTEMPTS);
    const [d] = await deliveries(op);
    expect(d).toMatchObject({ event: 'failed', status: 'dead', attempts: MAX_ATTEMPTS, lastResponseStatus: 500 });
    expect(d.attemptLog.map((a) => a.responseStatus)).toEqual([500, 500, 500]);
    expect(tracker.logs.some((l) => l.event === 'webhook-dead' && l.deliveryId === d.id)).toBe(true);
  });

  it('does not let a hanging receiver delay another receiver, even with a backlog, and times it out', async () => {
    const op = crypto.randomUUID();
    const hanging = await receiver(() => 'hang');
    const fast = await receiver(() => 204);
    const slowHook = await register({ url: hanging.url, events: ['progress', 'finished'], operationId: op });
    await register({ url: fast.url, events: ['finished'], operationId: op });
    await submit(op);
    await operationExists(op);
    // More hanging deliveries than the worker has slots: only its per-webhook share may be taken.
    for (let i = 0; i < CONCURRENCY + 2; i++) await report(OperationEvents.ItemsProgressed, { operationId: op, occurredAt: now(), succeeded: 1, failed: 0 });
    await waitFor('the hanging receiver holds its share of slots', async () => hanging.received.length === PER_WEBHOOK, 10_000, 10);
    await sleep(300);
    expect(hanging.received).toHaveLength(PER_WEBHOOK);

    const finishedAt = Date.now();
    await finish(op);
    await waitFor('the fast receiver called', async () => fast.received.length === 1, 10_000, 10);
    expect(fast.received[0].at - finishedAt).toBeLessThan(TIMEOUT_MS / 2);
    await waitFor('fast delivery recorded', async () => (await deliveries(op)).some((d) => d.status === 'delivered'));

    await waitFor(
      'the hanging attempts timed out and were logged',
      async () => (await deliveries(op)).filter((d) => d.webhookId === slowHook.id && d.attemptLog.length > 0).length >= PER_WEBHOOK,
      TIMEOUT_MS + 5_000,
    );
    const slow = (await deliveries(op)).find((d) => d.webhookId === slowHook.id && d.attemptLog.length > 0) as DeliveryJson;
    expect(slow).toMatchObject({ status: 'pending', lastResponseStatus: null });
    expect(slow.attemptLog[0].error).toBe('timeout');
  });
});
