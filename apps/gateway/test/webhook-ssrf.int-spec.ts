import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { OperationEvents } from '@asyncops/contracts';
import { ServiceProcess, sleep, Stack, startStack, TestBroker, TestDatabase, waitFor } from '@asyncops/testing';
import { hashSecret } from '../src/core/auth/secret-hash';

const CLIENT = { id: 'acme-erp', secret: 'acme-secret-1' };

/**
 * Webhooks as a server-side request forgery: with private targets not allowed (the default),
 * a URL that names or resolves to the host, its networks or the cloud metadata service is refused
 * at registration, a target whose DNS changed afterwards is refused at send time against the
 * address the socket would connect to, and the attempt log records only a class of failure.
 */
describe('webhook targets (gateway + tracker, private targets not allowed)', () => {
  jest.setTimeout(120_000);

  let stack: Stack;
  let db: TestDatabase;
  let broker: TestBroker;
  let gateway: ServiceProcess;
  let token = '';
  let internal: Server;
  let internalPort = 0;
  let internalHits = 0;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const register = (url: string, extra: Record<string, unknown> = {}) => api('/api/v1/webhooks', { method: 'POST', body: JSON.stringify({ url, events: ['finished'], ...extra }) });

  beforeAll(async () => {
    // An "internal service" on the loopback interface: nothing may ever reach it through a webhook.
    internal = createServer((req, res) => {
      internalHits++;
      req.resume();
      res.end('internal secrets');
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    internalPort = (internal.address() as AddressInfo).port;

    stack = await startStack('webhook_ssrf', {
      apps: ['tracker', 'gateway'],
      clients: { list: [CLIENT], hashSecret },
      appEnv: { tracker: { WEBHOOK_POLL_MS: '50', WEBHOOK_MAX_ATTEMPTS: '2', WEBHOOK_BASE_DELAY_MS: '100' } },
    });
    ({ db, broker, gateway } = stack);
    token = await stack.token(CLIENT);
  });

  afterAll(async () => {
    try {
      await stack?.stop();
    } finally {
      await new Promise((resolve) => internal?.close(resolve));
    }
  });

  it.each([
    ['loopback', () => `http://127.0.0.1:${internalPort}/hook`],
    ['loopback by name', () => `http://localhost:${internalPort}/hook`],
    ['loopback in another spelling', () => `http://0x7f.1:${internalPort}/hook`],
    ['IPv6 loopback', () => `http://[::1]:${internalPort}/hook`],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${internalPort}/hook`],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
    ['private', () => 'https://10.1.2.3/hook'],
    ['private (192.168)', () => 'https://192.168.0.10/hook'],
    ['CGNAT', () => 'http://100.64.0.1/hook'],
    ['multicast', () => 'http://224.0.0.1/hook'],
    ['unspecified', () => `http://0.0.0.0:${internalPort}/hook`],
    ['IPv6 unique local', () => 'http://[fd00::1]/hook'],
    ['IPv6 link-local', () => 'http://[fe80::1]/hook'],
  ])('refuses a %s target at registration with 400 naming the url', async (_kind, url) => {
    const res = await register(url());
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'url', rule: 'publicAddress' })] });
  });

  it('re-checks at send time against the address connected to, and records only the class of failure', async () => {
    const created = await register('http://93.184.216.34/hook');
    expect(created.status).toBe(201);
    const hook = (await created.json()) as { id: string };
    // The name's DNS answer changed after registration (a rebinding): it now leads to the host.
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      await sql.query(`UPDATE "tracker"."webhook" SET "url" = $1 WHERE "id" = $2`, [`http://localhost:${internalPort}/hook`, hook.id]);
    } finally {
      await sql.end();
    }

    const op = crypto.randomUUID();
    const now = () => new Date().toISOString();
    await broker.publish(OperationEvents.Submitted, { operationId: op, occurredAt: now(), ownerId: CLIENT.id, jobType: 'PlaceOrder', producer: 'test-producer' });
    await waitFor('operation recorded', async () => (await api(`/api/v1/operations/${op}`)).status === 200);
    await broker.publish(OperationEvents.Finished, { operationId: op, occurredAt: now(), status: 'Completed' });

    type Delivery = { status: string; attemptLog: Array<{ responseStatus: number | null; error: string | null }> };
    const dead = await waitFor(
      'both attempts refused',
      async () => {
        const list = ((await (await api(`/api/v1/operations/${op}/webhook-deliveries`)).json()) as { data: Delivery[] }).data;
        return list[0]?.status === 'dead' ? list[0] : undefined;
      },
      30_000,
    );
    expect(dead.attemptLog.map((a) => [a.responseStatus, a.error])).toEqual([
      [null, 'forbidden_target'],
      [null, 'forbidden_target'],
    ]);
    await sleep(200);
    expect(internalHits).toBe(0);
  });
});
