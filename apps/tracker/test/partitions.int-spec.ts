import { OperationEvents } from '@asyncops/contracts';
import { ServiceProcess, waitFor } from '@asyncops/testing';
import { newId, now, submitted, TrackerEnv, trackerEnv } from './support';

const PARTITIONS = 16;
const LEASE_MS = 2000;
const OPS = 40;

/** Partition → the pid of the replica holding its lease (live leases only). */
async function holders(t: TrackerEnv): Promise<Map<number, number>> {
  const rows = await t.db.query<{ partition: number; owner: string }>(
    "SELECT partition, owner FROM tracker.partition_lease WHERE queue = 'tracker.events' AND owner IS NOT NULL AND expires_at > now()",
  );
  // Members are named <host>-<pid>-<random>.
  return new Map(rows.map((r) => [r.partition, Number(r.owner.split('-').at(-2))]));
}

/** Waits until every partition is held, each replica's share is as even as it can be, and returns the shares by pid. */
async function balanced(t: TrackerEnv, replicas: ServiceProcess[], timeoutMs = 30_000): Promise<Map<number, number[]>> {
  return waitFor(
    `partitions shared by ${replicas.length} replicas`,
    async () => {
      const h = await holders(t);
      if (h.size !== PARTITIONS) return undefined;
      const shares = new Map<number, number[]>(replicas.map((r) => [r.pid as number, []]));
      for (const [p, pid] of h) shares.get(pid)?.push(p);
      const sizes = [...shares.values()].map((s) => s.length);
      if (sizes.reduce((a, b) => a + b, 0) !== PARTITIONS) return undefined;
      return Math.max(...sizes) - Math.min(...sizes) <= 1 ? shares : undefined;
    },
    timeoutMs,
    100,
  );
}

/** Each operation's successful items, by id. */
async function counts(t: TrackerEnv, ids: string[]): Promise<Map<string, number>> {
  const rows = await t.db.query<{ id: string; n: number }>('SELECT id, successful_job_items AS n FROM tracker.async_operation WHERE id = ANY($1)', [ids]);
  return new Map(rows.map((r) => [r.id, r.n]));
}

async function waitCounts(t: TrackerEnv, ids: string[], expected: number, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `${ids.length} operations at ${expected} items`,
    async () => {
      const c = await counts(t, ids);
      return ids.every((id) => (c.get(id) ?? -1) >= expected) || undefined;
    },
    timeoutMs,
    50,
  );
  const c = await counts(t, ids);
  // Exactly once: no operation counted an event twice.
  expect(ids.filter((id) => c.get(id) !== expected)).toEqual([]);
}

/** One progress event of one item for each operation, interleaved across operations. */
async function progressAll(t: TrackerEnv, ids: string[], rounds: number): Promise<void> {
  const messages = [];
  for (let i = 0; i < rounds; i++) for (const operationId of ids) messages.push({ routingKey: OperationEvents.ItemsProgressed, body: { operationId, occurredAt: now(), succeeded: 1, failed: 0 } });
  await t.broker.publishMany(messages);
}

describe('tracker: lifecycle events partitioned by operation across replicas (real broker and database)', () => {
  let t: TrackerEnv;

  beforeAll(async () => {
    t = await trackerEnv('partitions', { PARTITION_LEASE_MS: String(LEASE_MS) });
  });
  afterAll(() => t.teardown());

  it('routes each operation to one partition through the hash exchange, shares partitions between replicas, and takes a killed replica\'s share over within a bounded time', async () => {
    const a = await t.startTracker();
    // Alone, a replica holds every partition.
    const alone = await balanced(t, [a]);
    expect(alone.get(a.pid as number)).toHaveLength(PARTITIONS);

    const ids = Array.from({ length: OPS }, () => newId());
    await t.broker.publishMany(ids.map((id) => ({ routingKey: OperationEvents.Submitted, body: submitted(id, { totalJobItems: 100 }) })));
    await progressAll(t, ids, 5);

    // A second replica joins while events flow: the first hands half of the partitions over.
    const joining = t.startTracker();
    await progressAll(t, ids, 5);
    const b = await joining;
    await progressAll(t, ids, 5);
    const shares = await balanced(t, [a, b]);
    expect(shares.get(a.pid as number)).toHaveLength(PARTITIONS / 2);
    expect(shares.get(b.pid as number)).toHaveLength(PARTITIONS / 2);
    await progressAll(t, ids, 5);
    await waitCounts(t, ids, 20);
    expect(a.logs.some((l) => l.event === 'partitions-released')).toBe(true);
    expect(b.logs.some((l) => l.event === 'partitions-taken')).toBe(true);

    // SIGKILL: no release. Its leases expire and the survivor takes its partitions over.
    const killedAt = Date.now();
    await b.kill();
    await progressAll(t, ids, 5);
    const after = await balanced(t, [a], LEASE_MS * 5 + 10_000);
    const takeoverMs = Date.now() - killedAt;
    expect(after.get(a.pid as number)).toHaveLength(PARTITIONS);
    // Bounded: the lease, one heartbeat round, and the time to subscribe.
    expect(takeoverMs).toBeLessThan(LEASE_MS * 3 + 5_000);
    await waitCounts(t, ids, 25);

    // Order per operation holds through the handovers: finishing events apply after all progress.
    await t.broker.publishMany(ids.map((operationId) => ({ routingKey: OperationEvents.Finished, body: { operationId, occurredAt: now(), status: 'Completed' } })));
    await waitFor('all completed', async () => {
      const [row] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM tracker.async_operation WHERE id = ANY($1) AND status = 'Completed'", [ids]);
      return row.n === OPS || undefined;
    });
    const c = await counts(t, ids);
    expect([...c.values()].every((n) => n === 25)).toBe(true);
  });

  it('consumes a partition with one replica at a time: the broker keeps a second subscription waiting (single active consumer)', async () => {
    const ch = await t.broker.connection.createChannel();
    try {
      // A second consumer on every partition is accepted but kept inactive: it receives nothing while the replica's is active.
      let received = 0;
      for (let p = 0; p < PARTITIONS; p++) {
        const q = `${t.prefix}.tracker.events.p${p}`;
        expect((await ch.checkQueue(q)).consumerCount).toBe(1);
        await ch.consume(q, () => void received++, { noAck: false });
      }
      const [{ n: before }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tracker.orphan_event');
      // Events of unknown operations are parked by the tracker.
      await t.broker.publishMany(Array.from({ length: 40 }, () => ({ routingKey: OperationEvents.ItemsProgressed, body: { operationId: newId(), occurredAt: now(), succeeded: 1, failed: 0 } })));
      await waitFor('events parked by the tracker', async () => {
        const [row] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tracker.orphan_event');
        return row.n === before + 40 || undefined;
      });
      expect(received).toBe(0);
    } finally {
      await ch.close().catch(() => undefined);
    }
  });

  it('routes every event of one operation to the same partition queue (hash of x-operation-id)', async () => {
    for (const s of [...t.trackers]) await s.stop();
    const ops = Array.from({ length: 24 }, () => newId());
    // basic.get is refused on single-active-consumer queues: each operation's messages are found by the counts they add.
    const depths = () => Promise.all(Array.from({ length: PARTITIONS }, (_, p) => t.broker.messageCount(`tracker.events.p${p}`)));
    const queueOf = new Map<string, Set<number>>();
    let before = await depths();
    for (const operationId of ops) {
      await t.broker.publishMany(Array.from({ length: 3 }, () => ({ routingKey: OperationEvents.ItemsProgressed, body: { operationId, occurredAt: now(), succeeded: 1, failed: 0 } })));
      const after = await depths();
      queueOf.set(operationId, new Set(after.flatMap((n, p) => (n !== before[p] ? [p] : []))));
      expect(after.reduce((a, b) => a + b, 0) - before.reduce((a, b) => a + b, 0)).toBe(3);
      before = after;
    }
    expect(ops.filter((id) => queueOf.get(id)?.size !== 1)).toEqual([]);
    // Spread over several partitions, not all into one.
    expect(new Set(ops.map((id) => [...(queueOf.get(id) ?? [])][0])).size).toBeGreaterThan(4);
  });
});

describe('tracker: moving from the unpartitioned tracker.events queue (real broker and database)', () => {
  let t: TrackerEnv;

  beforeAll(async () => {
    t = await trackerEnv('unpartitioned', { PARTITION_LEASE_MS: String(LEASE_MS) });
  });
  afterAll(() => t.teardown());

  it('unbinds the queue an older deployment left, applies what it holds exactly once, and deletes it once empty', async () => {
    // What an unpartitioned deployment declared: the queue bound to the events exchange, holding events.
    const ch = await t.broker.connection.createChannel();
    const legacy = `${t.prefix}.tracker.events`;
    await ch.assertExchange(t.broker.exchange('events'), 'topic', { durable: true });
    await ch.assertQueue(legacy, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await ch.bindQueue(legacy, t.broker.exchange('events'), 'operation.#');
    await ch.close();
    const ids = Array.from({ length: 10 }, () => newId());
    await t.broker.publishMany(ids.map((id) => ({ routingKey: OperationEvents.Submitted, body: submitted(id, { totalJobItems: 100 }) })));
    await progressAll(t, ids, 3);
    expect(await t.broker.messageCount('tracker.events')).toBe(40);

    const tracker = await t.startTracker();
    // New events take the partitions; the old queue's are drained alongside.
    await progressAll(t, ids, 2);
    await waitCounts(t, ids, 5);
    await waitFor('the old queue deleted', async () => (await t.broker.messageCount('tracker.events').then(() => false, () => true)) || undefined, 20_000);
    expect(tracker.logs.some((l) => l.event === 'unpartitioned-draining')).toBe(true);
    // Logged right after the delete: the broker can show the queue gone before the line has crossed the pipe.
    await waitFor('the deletion logged', async () => tracker.logs.some((l) => l.event === 'unpartitioned-deleted') || undefined, 5_000);
  });
});
