import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { createTestDatabase, PrivateBroker, ServiceProcess, sleep, teardownWithin, TestDatabase, uniquePrefix, waitFor } from '@asyncops/testing';

interface Answer {
  key: string;
  status: number;
  ms: number;
  at: number;
  retryAfter: string | null;
  body: unknown;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * Operator-level broker faults against the gateway and the tracker, each in its own process, on a
 * RabbitMQ node of this suite's own (a memory alarm must never touch the shared broker).
 */
describe('broker faults (private RabbitMQ node, gateway + tracker processes)', () => {
  let broker: PrivateBroker;
  let db: TestDatabase;
  let tracker: ServiceProcess;
  let gateway: ServiceProcess;
  let token: string;
  let prefix: string;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  const create = async (key: string): Promise<Answer> => {
    const started = Date.now();
    const res = await api('/api/v1/operations', { method: 'POST', headers: { 'idempotency-key': key }, body: JSON.stringify({ jobType: 'PlaceQuote' }) });
    const body = await res.json().catch(() => undefined);
    return { key, status: res.status, ms: Date.now() - started, at: started, retryAfter: res.headers.get('retry-after'), body };
  };

  const operationCount = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM "tracker"."async_operation"'))[0]?.n);

  beforeAll(async () => {
    broker = await PrivateBroker.start('gwfaults');
    db = await createTestDatabase('brokerfaults');
    prefix = uniquePrefix('faults');
    const common = { DATABASE_URL: db.url, AMQP_URL: broker.url, AMQP_PREFIX: prefix };
    tracker = await ServiceProcess.start('tracker', common);
    gateway = await ServiceProcess.start('gateway', { ...common, RPC_TIMEOUT_MS: '3000', RETRY_AFTER_SECONDS: '2' });
    const res = await fetch(`${gateway.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'dev-client', client_secret: 'dev-secret' }).toString(),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });

  afterAll(() =>
    teardownWithin(90_000, [
      ['clear the memory alarm', () => broker?.memoryAlarm(false).catch(() => undefined)],
      ['stop gateway', () => gateway?.stop()],
      ['stop tracker', () => tracker?.stop()],
      ['stop the private broker', () => broker?.stop()],
      ['drop the database', () => db?.drop()],
    ]),
  );

  it('memory alarm for 25 s during 50 concurrent creates: every answer is 201 or 503 within 2 s, the gateway lives, all succeed once it clears', async () => {
    const before = await operationCount();
    const keys = Array.from({ length: 50 }, () => randomUUID());
    const answers: Answer[] = [];
    await broker.memoryAlarm(true);
    const raisedAt = Date.now();
    // The alarm is surely raised from raisedAt until the clearing command starts (rabbitmqctl
    // itself can take seconds on a busy machine), and surely cleared once it returns.
    let clearingFrom = Number.POSITIVE_INFINITY;
    let clearedAt = Number.POSITIVE_INFINITY;
    const clearing = sleep(25_000).then(async () => {
      clearingFrom = Date.now();
      await broker.memoryAlarm(false);
      clearedAt = Date.now();
    });

    // Each client creates once and, on 503, retries after Retry-After, as a well-behaved client does.
    const clients = keys.map(async (key) => {
      for (;;) {
        const a = await create(key);
        answers.push(a);
        if (a.status !== 503 || Date.now() - raisedAt > 90_000) return a;
        await sleep(Number(a.retryAfter ?? '2') * 1000);
      }
    });
    // Readiness reports the block while it lasts (the gateway's probe publish learns of it).
    const readyDuringAlarm = await waitFor('gateway not ready during the alarm', async () => {
      const res = await fetch(`${gateway.url}/health/ready`);
      return res.status === 503 ? ((await res.json()) as { checks: Record<string, { status: string; reason?: string }> }) : undefined;
    }, 10_000);
    const surfaces = await Promise.all([
      api(`/api/v1/operations/${randomUUID()}`),
      api('/services/data/v60.0/query?q=' + encodeURIComponent('SELECT Id FROM AsyncOperationTracker')),
      api('/v1/async-actions'),
      api(`/v1/async-jobs/${randomUUID()}`),
    ]);
    const surfaceBodies = await Promise.all(surfaces.map(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), type: r.headers.get('content-type'), body: await r.json() })));

    const finals = await Promise.all(clients);
    await clearing;
    const duringAlarm = answers.filter((a) => a.at < clearingFrom);
    const after = answers.filter((a) => a.at >= clearedAt);
    const refused = duringAlarm.filter((a) => a.status === 503);
    const allCreatedAt = Math.max(...finals.map((a) => a.at + a.ms));
    const slow = duringAlarm.filter((a) => a.ms >= 1500).map((a) => `${a.ms} ms at +${a.at - raisedAt} ms`);
    process.stdout.write(
      `memory alarm: ${duringAlarm.length} answers during the alarm (${refused.length} x 503, median ${median(refused.map((a) => a.ms))} ms, max ${Math.max(...duringAlarm.map((a) => a.ms))} ms; slow: ${slow.join(', ') || 'none'}); ` +
        `${after.length} after it; clearing took ${clearedAt - clearingFrom} ms; all 50 created ${allCreatedAt - clearedAt} ms after the alarm cleared\n`,
    );

    expect(readyDuringAlarm.checks.broker).toMatchObject({ status: 'down' });
    expect(duringAlarm.length).toBeGreaterThanOrEqual(50);
    for (const a of answers) expect([201, 503]).toContain(a.status);
    for (const a of duringAlarm) expect(a.ms).toBeLessThan(2000);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) {
      expect(a.retryAfter).toBe('2');
      expect(a.body).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    }
    // Each surface refuses in its own words, with Retry-After.
    const [native, salesforce, voucherify, zuora] = surfaceBodies;
    expect(native).toMatchObject({ status: 503, retryAfter: '2', body: { code: 'SERVICE_UNAVAILABLE' } });
    expect(native.type).toContain('application/problem+json');
    expect(salesforce).toMatchObject({ status: 503, retryAfter: '2', body: [{ errorCode: 'SERVER_UNAVAILABLE' }] });
    expect(voucherify).toMatchObject({ status: 503, retryAfter: '2', body: { code: 503, key: 'service_unavailable' } });
    expect(zuora).toMatchObject({ status: 503, retryAfter: '2', body: { success: false, reasons: [{ code: 50000060 }] } });

    expect(finals.map((a) => a.status)).toEqual(keys.map(() => 201));
    expect(new Set(finals.map((a) => (a.body as { id: string }).id)).size).toBe(50);
    expect(gateway.hasExited).toBe(false);
    expect(tracker.hasExited).toBe(false);
    expect(gateway.logs.filter((l) => l.event === 'unhandled-rejection')).toEqual([]);
    expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200);
    // Requests the broker held back during the alarm reached the tracker stale and were dropped:
    // exactly one operation per client.
    await sleep(2000);
    expect((await operationCount()) - before).toBe(50);
  });

  it('tracker paused 20 s while 5 clients poll an unfinished operation: the operation is unchanged afterwards', async () => {
    const created = await create(randomUUID());
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const view = async () => (await (await api(`/api/v1/operations/${id}`)).json()) as Record<string, unknown>;
    const before = await view();
    expect(before.status).toBe('Submitted');

    let polling = true;
    const statuses: number[] = [];
    const pollers = Array.from({ length: 5 }, async () => {
      while (polling) {
        const res = await api(`/api/v1/operations/${id}`);
        statuses.push(res.status);
        await res.arrayBuffer();
        await sleep(250);
      }
    });
    await sleep(1000);
    tracker.pause();
    const pausedAt = Date.now();
    await sleep(20_000);
    tracker.resume();
    const resumedAt = Date.now();
    const back = await waitFor('tracker answering again', async () => ((await api(`/api/v1/operations/${id}`)).status === 200 ? true : undefined), 60_000, 250);
    const recoveredMs = Date.now() - resumedAt;
    await sleep(5000);
    polling = false;
    await Promise.all(pollers);
    process.stdout.write(`tracker pause: ${statuses.length} polls over ${Math.round((Date.now() - pausedAt) / 1000)} s; reads answered again ${recoveredMs} ms after SIGCONT\n`);

    expect(back).toBe(true);
    expect(statuses.every((s) => s === 200 || s === 504 || s === 503)).toBe(true);
    const after = await view();
    expect(after).toMatchObject({
      status: before.status,
      successfulJobItems: before.successfulJobItems,
      failedJobItems: before.failedJobItems,
      totalJobItems: before.totalJobItems,
    });
    expect(after.message ?? null).toBe(before.message ?? null);
    expect(tracker.logs.filter((l) => l.event === 'dead-lettered')).toEqual([]);
    // Expired reads were dropped by the broker, not dead-lettered: nothing parked, nothing for the watcher.
    const conn = await amqp.connect(broker.url);
    try {
      const ch = await conn.createChannel();
      expect((await ch.checkQueue(`${prefix}.dead-letter`)).messageCount).toBe(0);
    } finally {
      await conn.close();
    }
    expect(gateway.hasExited).toBe(false);
  });
});
