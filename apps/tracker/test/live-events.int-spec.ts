import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import * as amqp from 'amqplib';
import { LiveEventsRpc, OperationEvents, OperationEventsPage } from '@asyncops/contracts';
import { TEST_AMQP_URL, waitFor } from '@asyncops/testing';
import { now, submitted, TrackerEnv, trackerEnv } from './support';

interface EventRow {
  id: string;
  seq: string | null;
  operation_id: string;
  status: string;
  payload: { version: number; status: string; progress: number };
}

/** The live event log under the tracker process: written with each change, numbered in commit order, pruned. */
describe('tracker live event log (real broker and database)', () => {
  let t: TrackerEnv;
  const events = (operationId: string) => t.db.query<EventRow>('SELECT * FROM tracker.operation_event WHERE operation_id = $1 ORDER BY id', [operationId]);
  type Run = (sql: string, params: unknown[]) => Promise<unknown>;
  const insertEvent = (run: Run, operationId: string, extra = '') =>
    run(
      `INSERT INTO tracker.operation_event (owner_id, operation_id, job_type, status, payload${extra ? ', recorded_at, seq' : ''})
       VALUES ('client-a', $1, 'PlaceOrder', 'InProgress', '{}'::jsonb${extra})`,
      [operationId],
    );

  beforeAll(async () => {
    t = await trackerEnv('live-events', { SWEEP_INTERVAL_MS: '300' });
    await t.startTracker();
  });

  afterAll(async () => {
    await t.teardown();
  });

  it('logs every change of an operation in its own transaction, in version order', async () => {
    const id = randomUUID();
    await t.broker.publish(OperationEvents.Submitted, submitted(id, { totalJobItems: 4 }));
    await t.broker.publish(OperationEvents.Started, { operationId: id, occurredAt: now() });
    await waitFor('started logged', async () => (await events(id)).length === 2);
    await t.broker.publish(OperationEvents.ItemsProgressed, { operationId: id, occurredAt: now(), succeeded: 2, failed: 0 });
    await waitFor('progress logged', async () => (await events(id)).length === 3);
    await t.broker.publish(OperationEvents.Finished, { operationId: id, occurredAt: now(), status: 'Completed' });
    const rows = await waitFor('all four changes numbered', async () => {
      const r = await events(id);
      return r.length === 4 && r.every((e) => e.seq !== null) ? r : undefined;
    });
    expect(rows.map((r) => [r.status, r.payload.version, r.payload.progress])).toEqual([
      ['Submitted', 1, 0],
      ['InProgress', 2, 0],
      ['InProgress', 3, 50],
      ['Completed', 4, 100],
    ]);
    const seqs = rows.map((r) => Number(r.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('numbers rows in commit order, so a reader past a seq never misses a row committed later', async () => {
    const slow = randomUUID();
    const fast = randomUUID();
    const tx = new Client({ connectionString: t.db.url });
    await tx.connect();
    try {
      await tx.query('BEGIN');
      await insertEvent((sql, p) => tx.query(sql, p), slow); // inserted first, committed last
      await insertEvent(t.db.query, fast);
      const [fastRow] = await waitFor('the committed row numbered', async () => {
        const r = await events(fast);
        return r[0]?.seq ? r : undefined;
      });
      await tx.query('COMMIT');
      const [slowRow] = await waitFor('the late row numbered', async () => {
        const r = await events(slow);
        return r[0]?.seq ? r : undefined;
      });
      expect(BigInt(slowRow.id)).toBeLessThan(BigInt(fastRow.id));
      expect(Number(slowRow.seq)).toBeGreaterThan(Number(fastRow.seq));
    } finally {
      await tx.end();
    }
  });

  it("answers each owner with its own head of the log, which another owner's changes never move", async () => {
    const conn = await amqp.connect(TEST_AMQP_URL);
    try {
      const ch = await conn.createConfirmChannel();
      const replies = new Map<string, (page: OperationEventsPage) => void>();
      await ch.consume('amq.rabbitmq.reply-to', (m) => m && replies.get(m.properties.correlationId as string)?.((JSON.parse(m.content.toString()) as { data: OperationEventsPage }).data), { noAck: true });
      const headOf = async (ownerId: string): Promise<number> => {
        const correlationId = randomUUID();
        const page = new Promise<OperationEventsPage>((resolve) => replies.set(correlationId, resolve));
        ch.publish(`${t.prefix}.commands`, LiveEventsRpc.ListOperationEvents, Buffer.from(JSON.stringify({ ownerId, limit: 10 })), {
          messageId: randomUUID(),
          correlationId,
          replyTo: 'amq.rabbitmq.reply-to',
          contentType: 'application/json',
          expiration: '30000',
        });
        await ch.waitForConfirms();
        return (await page).head;
      };
      const mine = randomUUID();
      await t.broker.publish(OperationEvents.Submitted, submitted(mine, { ownerId: 'head-owner-b' }));
      const [b] = await waitFor('B\'s change numbered', async () => {
        const r = await events(mine);
        return r[0]?.seq ? r : undefined;
      });
      const before = await headOf('head-owner-b');
      expect(before).toBe(Number(b.seq));

      const theirs = randomUUID();
      await t.broker.publish(OperationEvents.Submitted, submitted(theirs, { ownerId: 'head-owner-a' }));
      const [a] = await waitFor('A\'s change numbered', async () => {
        const r = await events(theirs);
        return r[0]?.seq ? r : undefined;
      });
      expect(Number(a.seq)).toBeGreaterThan(before);
      expect(await headOf('head-owner-b')).toBe(before);
      expect(await headOf('head-owner-a')).toBe(Number(a.seq));
      expect(await headOf('head-owner-none')).toBe(0);
    } finally {
      await conn.close();
    }
  });

  it('prunes numbered events past retention and keeps recent ones', async () => {
    const old = randomUUID();
    const recent = randomUUID();
    await insertEvent(t.db.query, old, ", now() - interval '8 days', nextval('tracker.operation_event_seq')");
    await insertEvent(t.db.query, recent);
    await waitFor('old event pruned', async () => (await events(old)).length === 0, 10_000);
    expect(await events(recent)).toHaveLength(1);
  });
});
