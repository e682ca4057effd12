import { OperationEvents } from '@asyncops/contracts';
import { AmqpConnection, ConfirmedPublisher, Topology } from '@asyncops/messaging';
import { JsonLogger } from '@asyncops/platform';
import { PrivateBroker, sleep, waitFor } from '@asyncops/testing';
import { newId, now, submitted, TrackerEnv, trackerEnv, trackerEnvPerSuite } from './support';

const OPS = 100;
const EVENTS_PER_OP = 100;

/** 100 operations × 100 progress events of one item each: any loss or repeat shows in a count. */
async function publishWorkload(t: TrackerEnv): Promise<string[]> {
  const ids = Array.from({ length: OPS }, newId);
  await t.broker.publishMany(ids.map((id) => ({ routingKey: OperationEvents.Submitted, body: submitted(id, { totalJobItems: EVENTS_PER_OP }) })));
  for (let round = 0; round < EVENTS_PER_OP; round += 10) {
    const batch = [];
    for (let r = round; r < round + 10; r++) {
      for (const id of ids) batch.push({ routingKey: OperationEvents.ItemsProgressed, body: { operationId: id, occurredAt: now(), succeeded: 1, failed: 0 } });
    }
    await t.broker.publishMany(batch);
  }
  return ids;
}

async function appliedCount(t: TrackerEnv): Promise<number> {
  const [row] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM tracker.processed_message WHERE consumer = 'tracker.events'");
  return row?.n ?? 0;
}

async function expectExactlyOnce(t: TrackerEnv, ids: string[]): Promise<void> {
  await waitFor(
    'every event applied',
    async () => {
      const [row] = await t.db.query<{ sum: number }>('SELECT sum(successful_job_items)::int AS sum FROM tracker.async_operation WHERE id = ANY($1)', [ids]);
      return row.sum >= OPS * EVENTS_PER_OP;
    },
    120_000,
    250,
  );
  await sleep(500);
  const rows = await t.db.query<{ successful_job_items: number }>('SELECT successful_job_items FROM tracker.async_operation WHERE id = ANY($1)', [ids]);
  expect(rows).toHaveLength(OPS);
  expect(rows.every((r) => r.successful_job_items === EVENTS_PER_OP)).toBe(true);
  expect(await appliedCount(t)).toBe(OPS + OPS * EVENTS_PER_OP);
}

describe('tracker resilience (real broker and database)', () => {
  describe('killed with SIGKILL while 10,000 events are in flight', () => {
    const env = trackerEnvPerSuite('sigkill');

    it('applies every event exactly once after a restart', async () => {
      const t = env();
      const tracker = await t.startTracker();
      const ids = await publishWorkload(t);
      await waitFor('some events applied', async () => (await appliedCount(t)) > 1500, 60_000, 20);
      await tracker.kill();
      const appliedAtKill = await appliedCount(t);
      expect(appliedAtKill).toBeLessThan(OPS + OPS * EVENTS_PER_OP);
      await tracker.start();
      await expectExactlyOnce(t, ids);
    });
  });

  describe('two replicas side by side', () => {
    const env = trackerEnvPerSuite('replicas');

    it('share the work and apply every event exactly once', async () => {
      const t = env();
      const [a, b] = await Promise.all([t.startTracker(), t.startTracker()]);
      const ids = await publishWorkload(t);
      await expectExactlyOnce(t, ids);
      await Promise.all([a.stop(), b.stop()]);
      const processed = (s: typeof a) =>
        Number(s.logs.find((l) => l.event === 'consumer-stopped' && l.queue === 'tracker.events')?.processed ?? 0);
      expect(processed(a)).toBeGreaterThan(0);
      expect(processed(b)).toBeGreaterThan(0);
      expect(processed(a) + processed(b)).toBeGreaterThanOrEqual(OPS + OPS * EVENTS_PER_OP);
    });
  });

  // On a node of the suite's own: restarting the shared broker would break every suite running beside this one.
  describe('RabbitMQ restarted during a run', () => {
    let rabbit: PrivateBroker;
    let t: TrackerEnv;
    let connection: AmqpConnection;
    beforeAll(async () => {
      rabbit = await PrivateBroker.start('brokerrestart');
      t = await trackerEnv('broker-restart', {}, rabbit.url);
      await t.startTracker();
      const logger = new JsonLogger('test-producer', 'error');
      connection = new AmqpConnection(rabbit.url, new Topology(t.prefix, 3), logger.child('Broker'), 'test-producer');
      await connection.start();
    });
    afterAll(async () => {
      try {
        await connection.close();
        await t.teardown();
      } finally {
        await rabbit.stop();
      }
    });

    it('reconnects publishers and consumers by themselves and loses nothing confirmed', async () => {
      const publisher = new ConfirmedPublisher(connection, 'test-producer', new JsonLogger('test-producer', 'error').child('Publisher'), 60_000);
      const id = newId();
      await publisher.publishEvent(OperationEvents.Submitted, { ...submitted(id) });
      let confirmed = 0;
      let brokerDown!: () => void;
      const down = new Promise<void>((resolve) => (brokerDown = resolve));
      const publishing = (async () => {
        for (let i = 0; i < 600; i++) {
          // The second half is published while the broker is down and coming back: each waits for
          // the publisher's reconnection and its confirm, and the tracker must reconnect to apply it.
          if (i === 300) await down;
          await publisher.publishEvent(OperationEvents.ItemsProgressed, { operationId: id, occurredAt: now(), succeeded: 1, failed: 0 });
          confirmed++;
          if (i % 50 === 0) await sleep(20);
        }
      })();
      await waitFor('half published', async () => confirmed >= 300, 60_000, 10);
      await rabbit.ctl('stop_app');
      brokerDown();
      await sleep(1000);
      await rabbit.ctl('start_app');
      await publishing;
      expect(confirmed).toBe(600);
      await waitFor(
        'every confirmed event applied',
        async () => {
          const [row] = await t.db.query<{ n: number }>('SELECT successful_job_items AS n FROM tracker.async_operation WHERE id = $1', [id]);
          return row?.n === confirmed;
        },
        90_000,
        250,
      );
      expect(t.trackers[0].logs.some((l) => l.event === 'broker-disconnected')).toBe(true);
      expect(t.trackers[0].logs.filter((l) => l.event === 'broker-connected').length).toBeGreaterThanOrEqual(2);
      const ready = await fetch(`${t.trackers[0].url}/health/ready`);
      expect(ready.status).toBe(200);
    });
  });
});
