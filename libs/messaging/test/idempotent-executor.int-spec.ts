import { driverPool } from '@asyncops/persistence';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Pool, PoolClient } from 'pg';
import { createRpcReplyTable, IdempotentExecutor, RpcReplyStore } from '../src';
import { MessagingEnv, messagingEnv, SCHEMA } from './support';

/** The inbox against the real PostgreSQL: a message id changes the database at most once per consumer. */
describe('IdempotentExecutor (real database)', () => {
  let env: MessagingEnv;
  let executor: IdempotentExecutor;

  const effect = (m: EntityManager, messageId: string) => m.query(`INSERT INTO "${SCHEMA}"."effect" ("message_id") VALUES ($1)`, [messageId]);
  const effects = async (messageId: string) =>
    (await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${SCHEMA}"."effect" WHERE "message_id" = $1`, [messageId]))[0].n;
  const processed = async (messageId: string) =>
    env.db.query<{ consumer: string }>(`SELECT "consumer" FROM "${SCHEMA}"."processed_message" WHERE "message_id" = $1 ORDER BY "consumer"`, [messageId]);

  beforeAll(async () => {
    env = await messagingEnv('inbox');
    await env.dataSource.query(`CREATE TABLE "${SCHEMA}"."effect" ("id" serial PRIMARY KEY, "message_id" text NOT NULL)`);
    const runner = env.dataSource.createQueryRunner();
    try {
      await createRpcReplyTable(runner, SCHEMA);
    } finally {
      await runner.release();
    }
    executor = new IdempotentExecutor(env.dataSource, SCHEMA);
  });

  afterAll(async () => {
    await env?.teardown([]);
  });

  it('runs the work once for a message id delivered twice; the second run is a duplicate', async () => {
    const messageId = randomUUID();
    const work = jest.fn(async (m: EntityManager) => {
      await effect(m, messageId);
      return 'applied';
    });

    expect(await executor.run('tracker.events', messageId, work)).toEqual({ duplicate: false, result: 'applied' });
    expect(await executor.run('tracker.events', messageId, work)).toEqual({ duplicate: true });

    expect(work).toHaveBeenCalledTimes(1);
    expect(await effects(messageId)).toBe(1);
    expect(await processed(messageId)).toEqual([{ consumer: 'tracker.events' }]);
  });

  it('runs the work once when two deliveries of one message race', async () => {
    const messageId = randomUUID();
    const work = jest.fn(async (m: EntityManager) => {
      await effect(m, messageId);
      await m.query('SELECT pg_sleep(0.2)');
    });
    const outcomes = await Promise.all([executor.run('c', messageId, work), executor.run('c', messageId, work)]);
    expect(outcomes.map((o) => o.duplicate).sort()).toEqual([false, true]);
    expect(work).toHaveBeenCalledTimes(1);
    expect(await effects(messageId)).toBe(1);
  });

  it('dedupes per consumer: another consumer of the same message runs its own work', async () => {
    const messageId = randomUUID();
    expect((await executor.run('importer.commands', messageId, (m) => effect(m, messageId))).duplicate).toBe(false);
    expect((await executor.run('tracker.events', messageId, (m) => effect(m, messageId))).duplicate).toBe(false);
    expect(await effects(messageId)).toBe(2);
    expect(await processed(messageId)).toEqual([{ consumer: 'importer.commands' }, { consumer: 'tracker.events' }]);
  });

  it('leaves no processed-message row and no effect when the work throws, so a retry runs it again', async () => {
    const messageId = randomUUID();
    const failing = jest.fn(async (m: EntityManager) => {
      await effect(m, messageId);
      throw new Error('inventory unavailable');
    });
    await expect(executor.run('c', messageId, failing)).rejects.toThrow('inventory unavailable');
    expect(failing).toHaveBeenCalledTimes(1);
    expect(await processed(messageId)).toEqual([]);
    expect(await effects(messageId)).toBe(0);

    const retry = jest.fn(async (m: EntityManager) => effect(m, messageId));
    expect((await executor.run('c', messageId, retry)).duplicate).toBe(false);
    expect(retry).toHaveBeenCalledTimes(1);
    expect(await processed(messageId)).toEqual([{ consumer: 'c' }]);
    expect(await effects(messageId)).toBe(1);
  });

  it('retries a serialization failure inside the same delivery, committing once', async () => {
    const messageId = randomUUID();
    let calls = 0;
    const outcome = await executor.run('c', messageId, async (m) => {
      calls++;
      await effect(m, messageId);
      if (calls === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      return calls;
    });
    expect(outcome).toEqual({ duplicate: false, result: 2 });
    expect(await effects(messageId)).toBe(1);
    expect(await processed(messageId)).toEqual([{ consumer: 'c' }]);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(
      executor.transaction(async () => {
        calls++;
        throw Object.assign(new Error('duplicate key'), { code: '23505' });
      }),
    ).rejects.toThrow('duplicate key');
    expect(calls).toBe(1);
  });

  describe('transactionEndingWith (the last statement and the COMMIT in one message)', () => {
    /** The statements the pool's connections are sent while `during` runs, by their first word. */
    async function sentDuring(during: () => Promise<unknown>): Promise<string[]> {
      const pool = driverPool(env.dataSource);
      const sent: string[] = [];
      const connect = pool.connect.bind(pool) as Pool['connect'];
      const patched = new Map<PoolClient, PoolClient['query']>();
      const patch = (client: PoolClient) => {
        if (patched.has(client)) return;
        const query = client.query.bind(client) as PoolClient['query'];
        patched.set(client, query);
        client.query = ((...args: Parameters<PoolClient['query']>) => {
          const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
          sent.push(text.replace(/\s+/g, ' ').trim());
          return (query as (...a: unknown[]) => unknown)(...args);
        }) as PoolClient['query'];
      };
      // TypeORM asks with a callback, others for a promise.
      pool.connect = ((callback?: (err: Error | undefined, client: PoolClient, done: (release?: unknown) => void) => void) => {
        if (!callback) return (connect as () => Promise<PoolClient>)().then((client) => (patch(client), client));
        (connect as (cb: typeof callback) => void)((err, client, done) => {
          if (client) patch(client);
          callback(err, client, done);
        });
      }) as unknown as Pool['connect'];
      try {
        await during();
      } finally {
        pool.connect = connect as unknown as Pool['connect'];
        for (const [client, query] of patched) client.query = query;
      }
      return sent;
    }

    it('sends the last statement with its values as literals and the COMMIT in one message, after the work', async () => {
      const messageId = randomUUID();
      const sent = await sentDuring(() =>
        executor.transactionEndingWith(async (m) => {
          await effect(m, messageId);
          return { value: 'done', last: { sql: `INSERT INTO "${SCHEMA}"."effect" ("message_id") VALUES ($1)`, values: [`${messageId}'s twin`] } };
        }),
      );
      expect(sent.map((t) => t.split(' ')[0])).toEqual(['START', 'INSERT', 'INSERT']);
      expect(sent[2]).toMatch(/VALUES \('[0-9a-f-]+''s twin'\); COMMIT$/);
      expect(await effects(messageId)).toBe(1);
      expect(await effects(`${messageId}'s twin`)).toBe(1);
    });

    it('runManyEndingWith: records the batch, gives the work the ids not seen before, and ends with the last statement and COMMIT', async () => {
      const [seen, fresh] = [randomUUID(), randomUUID()];
      await executor.run('batch', seen, async () => undefined);
      let given: string[] = [];
      const sent = await sentDuring(() =>
        executor.runManyEndingWith('batch', [seen, fresh], async (m, ids) => {
          given = [...ids];
          await effect(m, fresh);
          return { value: undefined, last: { sql: `INSERT INTO "${SCHEMA}"."effect" ("message_id") VALUES ($1)`, values: [`${fresh}/last`] } };
        }),
      );
      expect(given).toEqual([fresh]);
      expect(sent.map((t) => t.split(' ')[0])).toEqual(['START', 'INSERT', 'INSERT', 'INSERT']);
      expect(sent[3]).toMatch(/; COMMIT$/);
      expect(await effects(`${fresh}/last`)).toBe(1);
      expect((await processed(fresh)).map((r) => r.consumer)).toEqual(['batch']);
    });

    it('commits as usual without a last statement', async () => {
      const messageId = randomUUID();
      const sent = await sentDuring(() => executor.transactionEndingWith(async (m) => ({ value: await effect(m, messageId) })));
      expect(sent.map((t) => t.split(' ')[0])).toEqual(['START', 'INSERT', 'COMMIT']);
      expect(await effects(messageId)).toBe(1);
    });

    it('rolls the work back when the last statement fails: its COMMIT never runs', async () => {
      const messageId = randomUUID();
      await expect(
        executor.transactionEndingWith(async (m) => {
          await effect(m, messageId);
          return { value: 1, last: { sql: 'SELECT 1 / $1::int', values: [0] } };
        }),
      ).rejects.toThrow(/division by zero/);
      expect(await effects(messageId)).toBe(0);
      // The connection went back to the pool usable, outside any transaction.
      expect(await env.dataSource.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    });

    it('retries a serialization failure of the work, committing once', async () => {
      const messageId = randomUUID();
      let calls = 0;
      const value = await executor.transactionEndingWith(async (m) => {
        calls++;
        await effect(m, messageId);
        if (calls === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
        return { value: calls, last: { sql: 'SELECT $1::int', values: [calls] } };
      });
      expect(value).toBe(2);
      expect(await effects(messageId)).toBe(1);
    });

    it("with the reply store's last statement: a reply saved first by another delivery fails this one, whose work is rolled back", async () => {
      const replies = new RpcReplyStore(env.dataSource, SCHEMA);
      const messageId = randomUUID();
      const answer = (reply: string) =>
        executor.transactionEndingWith(async (m) => {
          await effect(m, messageId);
          return { value: reply, last: replies.lastStatement(messageId, reply) };
        });
      expect(await answer('first')).toBe('first');
      const second = answer('second');
      await expect(second).rejects.toMatchObject({ code: '23505' });
      expect(replies.isReplyConflict(await second.catch((e: unknown) => e))).toBe(true);
      expect(await replies.find(messageId)).toBe('first');
      expect(await effects(messageId)).toBe(1);
      // A transaction that wrote nothing keeps no reply.
      const readOnly = randomUUID();
      expect(await executor.transactionEndingWith(async () => ({ value: 'read', last: replies.lastStatement(readOnly, 'read') }))).toBe('read');
      expect(await replies.find(readOnly)).toBeUndefined();
    });
  });
});
