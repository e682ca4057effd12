import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { IdempotentExecutor } from '../src';
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
});
