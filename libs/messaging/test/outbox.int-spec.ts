import { driverPool } from '@asyncops/persistence';
import { randomUUID } from 'node:crypto';
import { ExchangeRole, Headers } from '@asyncops/contracts';
import { sleep, waitFor } from '@asyncops/testing';
import type { ConsumeMessage } from 'amqplib';
import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { fanOutMessageId, OUTBOX_FAN_OUT_HEADER, OutboxRelay, OutboxWriter } from '../src';
import { MessagingEnv, messagingEnv, SCHEMA } from './support';

/** The outbox against the real PostgreSQL and RabbitMQ: a message exists iff its transaction committed. */
describe('OutboxWriter + OutboxRelay (real broker and database)', () => {
  let env: MessagingEnv;
  let received: ConsumeMessage[];
  const relays: OutboxRelay[] = [];

  const bodies = (from: ConsumeMessage[]) => from.map((m) => JSON.parse(m.content.toString('utf8')) as { n: number; run: string });
  const ofRun = (run: string) => received.filter((m) => (JSON.parse(m.content.toString('utf8')) as { run: string }).run === run);

  async function relay(name: string, dataSource: DataSource = env.dataSource, opts: { batchSize?: number; publishTimeoutMs?: number; maxMessages?: number; pollMs?: number } = {}) {
    const connection = await env.connect(name);
    const publisher = env.publisher(connection, name, opts.publishTimeoutMs);
    const published: number[] = [];
    const publishMany = publisher.publishMany.bind(publisher);
    publisher.publishMany = async (messages) => {
      published.push(messages.length);
      return publishMany(messages);
    };
    const r = new OutboxRelay(dataSource, SCHEMA, publisher, env.logger.child(`Relay:${name}`), opts.pollMs ?? 50, opts.batchSize, opts.maxMessages);
    relays.push(r);
    return { relay: r, connection, published };
  }

  async function write(run: string, count: number, commit = true): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    const tx = env.dataSource.transaction(async (m) => {
      const outbox = new OutboxWriter(m, SCHEMA);
      for (let i = 0; i < count; i += 500) {
        await outbox.add(
          ...ids.slice(i, i + 500).map((messageId, j) => ({
            exchange: ExchangeRole.Events,
            routingKey: `outbox.${run}`,
            body: { run, n: i + j, operationId: run },
            messageId,
          })),
        );
      }
      expect(outbox.written).toBe(count);
      if (!commit) throw new Error('rolled back on purpose');
    });
    if (commit) await tx;
    else await expect(tx).rejects.toThrow('rolled back on purpose');
    return ids;
  }

  beforeAll(async () => {
    env = await messagingEnv('outbox');
    await env.connect('setup');
    received = await env.probe('probe', ExchangeRole.Events, 'outbox.#');
  });

  afterAll(async () => {
    try {
      for (const r of relays) await r.stop();
    } finally {
      await env?.teardown(['probe']);
    }
  });

  afterEach(async () => {
    for (const r of relays.splice(0)) await r.stop();
  });

  it('publishes committed rows with their message id and deletes them; rolled-back rows never exist', async () => {
    const rolledBack = await write('rolled-back', 3, false);
    expect(await env.outboxCount()).toBe(0);
    const committed = await write('committed', 3);
    expect(await env.outboxCount()).toBe(3);

    const { relay: r } = await relay('single');
    r.start();
    await waitFor('committed rows published', async () => ofRun('committed').length >= 3, 15_000);
    await waitFor('outbox emptied', async () => (await env.outboxCount()) === 0, 15_000);

    const got = ofRun('committed');
    expect(got.map((m) => m.properties.messageId)).toEqual(committed);
    expect(bodies(got).map((b) => b.n)).toEqual([0, 1, 2]);
    expect(got.every((m) => m.properties.deliveryMode === 2 && m.properties.headers?.[Headers.OperationId] === 'committed')).toBe(true);
    expect(got.every((m) => m.properties.headers?.[Headers.Producer] === 'single')).toBe(true);
    expect(received.filter((m) => rolledBack.includes(m.properties.messageId as string))).toEqual([]);
    expect(ofRun('rolled-back')).toEqual([]);

    // A commit while the relay runs is picked up by its poll (or at once, with a kick).
    const later = await write('later', 1);
    r.kick();
    await waitFor('later row published', async () => ofRun('later').length === 1, 15_000);
    expect(ofRun('later')[0].properties.messageId).toBe(later[0]);
  });

  it('fans a row written by addEach out into one message per body, each with its own id derived from the row', async () => {
    await env.dataSource.transaction(async (m) => {
      const outbox = new OutboxWriter(m, SCHEMA);
      await outbox.addEach({ exchange: ExchangeRole.Events, routingKey: 'outbox.fan-out' }, [0, 1, 2, 3].map((n) => ({ run: 'fan-out', n, operationId: `op-${n}` })));
      expect(outbox.written).toBe(4);
    });
    const [{ message_id: rowId }] = await env.dataSource.query<Array<{ message_id: string }>>(`SELECT "message_id" FROM "${SCHEMA}"."outbox"`);
    expect(await env.outboxCount()).toBe(1);
    const { relay: r } = await relay('fan-out');
    r.start();
    await waitFor('four messages published', async () => ofRun('fan-out').length >= 4, 15_000);
    await waitFor('outbox emptied', async () => (await env.outboxCount()) === 0, 15_000);
    const got = ofRun('fan-out');
    expect(bodies(got).map((b) => b.n)).toEqual([0, 1, 2, 3]);
    expect(got.map((m) => m.properties.messageId)).toEqual([0, 1, 2, 3].map((i) => fanOutMessageId(rowId, i)));
    expect(got.map((m) => m.properties.headers?.[Headers.OperationId])).toEqual(['op-0', 'op-1', 'op-2', 'op-3']);
    expect(got.every((m) => m.properties.headers?.[OUTBOX_FAN_OUT_HEADER] === undefined && m.fields.routingKey === 'outbox.fan-out')).toBe(true);
  });

  it('takes no further row into a relay transaction once it holds maxMessages messages (fan-out rows count per body)', async () => {
    await env.dataSource.transaction(async (m) => {
      const outbox = new OutboxWriter(m, SCHEMA);
      for (let row = 0; row < 4; row++) {
        await outbox.addEach({ exchange: ExchangeRole.Events, routingKey: 'outbox.capped' }, [0, 1, 2].map((n) => ({ run: 'capped', n: row * 3 + n, operationId: `op-${row}` })));
      }
    });
    const { relay: r, published } = await relay('capped', env.dataSource, { maxMessages: 4 });
    r.start();
    await waitFor('twelve messages published', async () => ofRun('capped').length >= 12, 15_000);
    await waitFor('outbox emptied', async () => (await env.outboxCount()) === 0, 15_000);
    expect(bodies(ofRun('capped')).map((b) => b.n)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    // Two rows a transaction: the second starts below the cap (3 < 4), a third would start above it.
    expect(published.filter((n) => n > 0)).toEqual([6, 6]);
  });

  it('relays in two round trips a transaction (the claim opens it, the delete commits it) and claims again only after a batch its limits cut short', async () => {
    await write('round-trips', 3);
    const { relay: r, published } = await relay('round-trips', env.dataSource, { batchSize: 2, pollMs: 600_000 });
    const pool = driverPool(env.dataSource);
    const sent: string[] = [];
    const restore: Array<() => void> = [];
    const connect = pool.connect.bind(pool) as () => Promise<PoolClient>;
    const patched = new WeakSet<PoolClient>();
    pool.connect = (async () => {
      const client = await connect();
      // The pool hands the same connection out again: its query is wrapped once.
      if (patched.has(client)) return client;
      patched.add(client);
      const query = client.query.bind(client);
      client.query = ((...args: Parameters<PoolClient['query']>) => {
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
        sent.push(/^\s*(\w+)/.exec(text)?.[1] ?? text);
        return (query as (...a: unknown[]) => unknown)(...args);
      }) as PoolClient['query'];
      restore.push(() => (client.query = query));
      return client;
    }) as unknown as Pool['connect'];
    try {
      r.start();
      await waitFor('three rows published', async () => ofRun('round-trips').length >= 3, 15_000);
      await waitFor('outbox emptied', async () => (await env.outboxCount()) === 0, 15_000);
      await sleep(300);
      // Two rows fill the first batch, so a second claim follows; it takes one, and nothing more is claimed until a kick or the poll.
      expect(published).toEqual([2, 1]);
      expect(sent).toEqual(['BEGIN', 'DELETE', 'BEGIN', 'DELETE']);
    } finally {
      pool.connect = connect as unknown as Pool['connect'];
      for (const undo of restore) undo();
    }
  });

  it('two relays on one table publish each of 2,000 rows exactly once', async () => {
    const ids = await write('bulk', 2000);
    const other = await env.newDataSource();
    const a = await relay('relay-a', env.dataSource, { batchSize: 50 });
    const b = await relay('relay-b', other, { batchSize: 50 });
    a.relay.start();
    b.relay.start();

    await waitFor('all 2,000 rows published', async () => ofRun('bulk').length >= 2000, 40_000);
    await waitFor('outbox emptied', async () => (await env.outboxCount()) === 0, 10_000);
    await sleep(500); // any duplicate would arrive by now

    const got = ofRun('bulk');
    const distinct = new Set(got.map((m) => m.properties.messageId));
    expect(distinct.size).toBe(2000);
    expect(got).toHaveLength(2000);
    expect([...distinct].sort()).toEqual([...ids].sort());
    // Both replicas took part: the rows were shared, not relayed twice.
    const byProducer = new Map<string, number>();
    for (const m of got) byProducer.set(m.properties.headers?.[Headers.Producer], (byProducer.get(m.properties.headers?.[Headers.Producer]) ?? 0) + 1);
    expect([...byProducer.keys()].sort()).toEqual(['relay-a', 'relay-b']);
  });

  it('keeps rows while the broker is unreachable and delivers them once a relay can publish again', async () => {
    const { relay: down, connection } = await relay('unreachable', env.dataSource, { publishTimeoutMs: 500 });
    await connection.close();
    down.start();
    const ids = await write('offline', 5);
    down.kick();

    await sleep(1500); // several failed relay attempts
    expect(await env.outboxCount()).toBe(5);
    expect(ofRun('offline')).toEqual([]);
    expect(env.logs.some((l) => l.context === 'Relay:unreachable' && l.msg === 'outbox relay failed; will retry')).toBe(true);
    await down.stop();
    expect(await env.outboxCount()).toBe(5);

    const { relay: up } = await relay('reconnected');
    up.start();
    await waitFor('offline rows published', async () => ofRun('offline').length >= 5, 15_000);
    await waitFor('outbox emptied', async () => (await env.outboxCount()) === 0, 10_000);
    expect(ofRun('offline').map((m) => m.properties.messageId)).toEqual(ids);
  });
});
