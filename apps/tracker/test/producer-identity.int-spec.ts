import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { OperationEvents } from '@asyncops/contracts';
import { createTestDatabase, PrivateBroker, ServiceProcess, sleep, teardownWithin, TestBroker, TestDatabase, waitFor } from '@asyncops/testing';
import { now, submitted } from './support';

/**
 * Producers are who they say they are: broker users of a private RabbitMQ node (users are
 * global to a broker), lifecycle events published with the AMQP user_id the broker verifies.
 */
describe('lifecycle events checked against the broker user that sent them (private broker node)', () => {
  let broker: PrivateBroker;
  let db: TestDatabase;
  let tracker: ServiceProcess;
  let guest: TestBroker;
  let intruder: TestBroker;
  let prefix: string;

  const userUrl = (user: string) => `amqp://${user}:${user}-dev-password@127.0.0.1:${broker.port}`;
  const statusOf = async (id: string) => (await db.query<{ status: string; message: string | null }>('SELECT "status", "message" FROM "tracker"."async_operation" WHERE "id" = $1', [id]))[0];

  beforeAll(async () => {
    // The broker users and permissions docker-compose.yml gives each app.
    broker = await PrivateBroker.start('producers', { config: [`load_definitions = ${path.resolve(__dirname, '../../../deploy/rabbitmq/definitions.json')}`] });
    await broker.ctl('add_user', 'intruder', 'intruder-secret');
    await broker.ctl('set_permissions', '-p', '/', 'intruder', '.*', '.*', '.*');
    db = await createTestDatabase('producers');
    // The compose permissions name the default prefix; this broker is the suite's own, so no clash.
    prefix = 'asyncops';
    tracker = await ServiceProcess.start('tracker', {
      DATABASE_URL: db.url,
      AMQP_URL: userUrl('tracker'),
      AMQP_PREFIX: prefix,
      PRODUCER_BROKER_USERS: JSON.stringify({ guest: ['*'], intruder: ['intruder-app'], 'order-placement': ['order-placement'], importer: ['importer'] }),
    });
    guest = await TestBroker.connect(prefix, broker.url);
    intruder = await TestBroker.connect(prefix, `amqp://intruder:intruder-secret@127.0.0.1:${broker.port}`);
  });

  const others: ServiceProcess[] = [];

  afterAll(() =>
    teardownWithin(90_000, [
      ['close broker clients', async () => Promise.all([guest?.close(), intruder?.close()])],
      ['stop the other apps', () => Promise.all(others.map((o) => o.stop()))],
      ['stop tracker', () => tracker?.stop()],
      ['stop the private broker', () => broker?.stop()],
      ['drop the database', () => db?.drop()],
    ]),
  );

  it("rejects, logs and dead-letters an event for another producer's operation; the operation is unchanged", async () => {
    const id = randomUUID();
    await guest.publish(OperationEvents.Submitted, submitted(id, { producer: 'acme-erp' }), { userId: 'guest' });
    await waitFor('operation submitted', async () => (await statusOf(id))?.status === 'Submitted', 30_000);

    const forged = await intruder.publish(OperationEvents.Finished, { operationId: id, occurredAt: now(), status: 'Failure', message: 'forged' }, { userId: 'intruder' });
    const parked = await waitFor('forged event dead-lettered', async () => (await guest.drain('dead-letter')).find((m) => m.properties.messageId === forged), 30_000);
    expect(parked.properties.headers?.['x-operation-id']).toBeUndefined();
    expect(parked.properties.headers?.['x-rejected-operation-id']).toBe(id);
    expect(String(parked.properties.headers?.['x-last-error'])).toMatch(/broker user "intruder" may not report for producer "acme-erp"/);
    expect(tracker.logs.some((l) => l.event === 'dead-lettered' && l.messageId === forged)).toBe(true);

    await sleep(1000);
    expect(await statusOf(id)).toEqual({ status: 'Submitted', message: null });
    // The operation's own producer still reports normally.
    await guest.publish(OperationEvents.Finished, { operationId: id, occurredAt: now(), status: 'Completed' }, { userId: 'guest' });
    await waitFor('operation completed by its producer', async () => (await statusOf(id))?.status === 'Completed', 30_000);
  });

  it("drops an event parked ahead of its operation when its sender may not report for the operation's producer", async () => {
    const id = randomUUID();
    await intruder.publish(OperationEvents.Finished, { operationId: id, occurredAt: now(), status: 'Failure', message: 'forged early' }, { userId: 'intruder' });
    await waitFor('event parked', async () => (await db.query('SELECT 1 FROM "tracker"."orphan_event" WHERE "operation_id" = $1', [id])).length > 0, 30_000);
    await guest.publish(OperationEvents.Submitted, submitted(id, { producer: 'acme-erp' }), { userId: 'guest' });
    await waitFor('operation submitted', async () => (await statusOf(id))?.status === 'Submitted', 30_000);
    await waitFor('parked event rejected', async () => tracker.logs.some((l) => l.event === 'event-rejected' && l.operationId === id), 10_000);
    expect(await statusOf(id)).toEqual({ status: 'Submitted', message: null });
    expect(await db.query('SELECT 1 FROM "tracker"."orphan_event" WHERE "operation_id" = $1', [id])).toEqual([]);
  });

  it('accepts the user for the producer names mapped to it', async () => {
    const id = randomUUID();
    await intruder.publish(OperationEvents.Submitted, submitted(id, { producer: 'intruder-app' }), { userId: 'intruder' });
    await intruder.publish(OperationEvents.Finished, { operationId: id, occurredAt: now(), status: 'Completed' }, { userId: 'intruder' });
    await waitFor('own operation completed', async () => (await statusOf(id))?.status === 'Completed', 30_000);
  });

  it("lets the broker refuse a user_id that is not the connection's own user", async () => {
    const conn = await amqp.connect(`amqp://intruder:intruder-secret@127.0.0.1:${broker.port}`);
    conn.on('error', () => undefined);
    try {
      const ch = await conn.createConfirmChannel();
      const closed = new Promise<Error>((resolve) => ch.on('error', resolve));
      ch.publish(`${prefix}.events`, OperationEvents.Finished, Buffer.from('{}'), { userId: 'guest' });
      expect((await closed).message).toMatch(/PRECONDITION_FAILED.*user_id/);
    } finally {
      await conn.close().catch(() => undefined);
    }
  });

  it('runs every app with its own compose broker user and permissions', async () => {
    const common = { DATABASE_URL: db.url, AMQP_PREFIX: prefix };
    for (const app of ['order-placement', 'importer', 'gateway'] as const) others.push(await ServiceProcess.start(app, { ...common, AMQP_URL: userUrl(app) }));
    const gateway = others[2];
    const tokenRes = await fetch(`${gateway.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'dev-client', client_secret: 'dev-secret' }).toString(),
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // Gateway -> tracker request/reply, and gateway -> order-placement, each under its own user.
    const created = await fetch(`${gateway.url}/api/v1/operations`, { method: 'POST', headers: auth, body: JSON.stringify({ jobType: 'PlaceQuote' }) });
    expect(created.status).toBe(201);
    const cart = await fetch(`${gateway.url}/api/v1/carts`, { method: 'POST', headers: auth, body: JSON.stringify({ currency: 'USD' }) });
    expect(cart.status).toBe(201);
    for (const app of others) expect(app.logs.filter((l) => /ACCESS_REFUSED/.test(JSON.stringify(l)))).toEqual([]);
    expect(tracker.logs.filter((l) => /ACCESS_REFUSED/.test(JSON.stringify(l)))).toEqual([]);
  });
});
