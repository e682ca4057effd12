import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { OperationEvents, verifyWebhookSignature, WebhookHeaders } from '@asyncops/contracts';
import { ServiceProcess, Stack, startStack, TestBroker, TestDatabase, waitFor } from '@asyncops/testing';
import { hashSecret } from '../src/core/auth/secret-hash';

const CLIENT = { id: 'acme-erp', secret: 'acme-secret-1' };
const KEY_1 = `k1:${randomBytes(32).toString('base64')}`;
const KEY_2 = `k2:${randomBytes(32).toString('base64')}`;

/**
 * Webhook signing secrets at rest: the database holds AES-256-GCM ciphertext under a key id, never
 * the secret; deliveries are still signed with the secret; a tracker restarted with a new key
 * first re-seals every row under it and keeps delivering.
 */
describe('webhook secrets encrypted at rest (gateway + tracker)', () => {
  jest.setTimeout(180_000);

  let stack: Stack;
  let db: TestDatabase;
  let broker: TestBroker;
  let tracker: ServiceProcess;
  let gateway: ServiceProcess;
  let token = '';
  let receiver: Server;
  const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  const common = () => ({ DATABASE_URL: db.url, AMQP_PREFIX: broker.prefix, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const stored = async () => {
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      return (await sql.query<{ id: string; secret: string; secret_key_id: string | null }>(`SELECT "id", "secret", "secret_key_id" FROM "tracker"."webhook"`)).rows;
    } finally {
      await sql.end();
    }
  };
  const finishOperation = async () => {
    const op = crypto.randomUUID();
    const now = () => new Date().toISOString();
    await broker.publish(OperationEvents.Submitted, { operationId: op, occurredAt: now(), ownerId: CLIENT.id, jobType: 'PlaceOrder', producer: 'test-producer' });
    await waitFor('operation recorded', async () => (await api(`/api/v1/operations/${op}`)).status === 200);
    const before = received.length;
    await broker.publish(OperationEvents.Finished, { operationId: op, occurredAt: now(), status: 'Completed' });
    await waitFor('the delivery', async () => received.length > before);
    return received[received.length - 1];
  };

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    stack = await startStack('webhook_secrets', {
      apps: ['tracker', 'gateway'],
      clients: { list: [CLIENT], hashSecret },
      env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
      appEnv: { tracker: { WEBHOOK_POLL_MS: '50', WEBHOOK_SECRET_KEYS: KEY_1 } },
    });
    ({ db, broker, tracker, gateway } = stack);
    token = await stack.token(CLIENT);
  });

  afterAll(async () => {
    try {
      // The suite restarts the tracker with other keys: the last one is its own.
      await tracker?.stop();
      await stack?.stop();
    } finally {
      await new Promise((resolve) => receiver?.close(resolve));
    }
  });

  it('stores ciphertext under a key id, signs with the secret, and re-seals under a new key after a rotation', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const created = await api('/api/v1/webhooks', { method: 'POST', body: JSON.stringify({ url, events: ['finished'] }) });
    expect(created.status).toBe(201);
    const { id, secret } = (await created.json()) as { id: string; secret: string };

    const [row] = await stored();
    expect(row).toMatchObject({ id, secret_key_id: 'k1' });
    expect(row.secret).not.toContain(secret);
    expect(row.secret).not.toContain(secret.slice('whsec_'.length));

    const first = await finishOperation();
    expect(verifyWebhookSignature(first.headers[WebhookHeaders.Signature] as string, first.body, secret).ok).toBe(true);

    // Rotation: the new key first, the old one still listed so existing rows can be read.
    await tracker.stop();
    tracker = await ServiceProcess.start('tracker', { ...common(), WEBHOOK_POLL_MS: '50', WEBHOOK_SECRET_KEYS: `${KEY_2},${KEY_1}` });
    const [resealed] = await stored();
    expect(resealed.secret_key_id).toBe('k2');
    expect(resealed.secret).not.toBe(row.secret);
    expect(tracker.logs.some((l) => l.event === 'webhook-secrets-sealed')).toBe(true);

    // The old key can now go: everything is under the new one.
    await tracker.stop();
    tracker = await ServiceProcess.start('tracker', { ...common(), WEBHOOK_POLL_MS: '50', WEBHOOK_SECRET_KEYS: KEY_2 });
    const second = await finishOperation();
    expect(verifyWebhookSignature(second.headers[WebhookHeaders.Signature] as string, second.body, secret).ok).toBe(true);
  });
});
