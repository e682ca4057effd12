import { DataSource } from 'typeorm';
import { migrate } from '@asyncops/persistence';
import { createTestDatabase, sleep, TestDatabase } from '@asyncops/testing';
import { GatewayConfig } from '../src/config';
import { gatewayDataSourceOptions } from '../src/core/idempotency/gateway-database';
import { IdempotencyKeyReusedError, IdempotencyRequestInProgressError } from '../src/core/idempotency/idempotency-errors';
import { IdempotencyService, IdempotentRequest } from '../src/core/idempotency/idempotency.service';
import { IdempotencyStore } from '../src/core/idempotency/idempotency.store';

/**
 * The idempotency store on a real PostgreSQL, with two "gateway replicas" (two services, two
 * connection pools) racing on the same keys: exactly one execution per key, whoever asks.
 */
describe('idempotency store (two gateway replicas, real PostgreSQL)', () => {
  jest.setTimeout(60_000);

  let db: TestDatabase;
  const pools: DataSource[] = [];

  function replica(overrides: Partial<GatewayConfig> = {}): IdempotencyService {
    const ds = pools[pools.length - 1];
    const config = Object.assign(new GatewayConfig(), { IDEMPOTENCY_TTL_HOURS: 24, IDEMPOTENCY_LEASE_SECONDS: 60, RETRY_AFTER_SECONDS: 2 }, overrides);
    return new IdempotencyService(new IdempotencyStore(ds), config);
  }

  async function pool(): Promise<void> {
    const ds = new DataSource(gatewayDataSourceOptions({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: 10 }));
    await ds.initialize();
    pools.push(ds);
  }

  const request = (key: string, body: unknown = { a: 1 }, clientId = 'client-a'): IdempotentRequest => ({ clientId, key, method: 'POST', path: '/v1/async/orders', body });

  beforeAll(async () => {
    db = await createTestDatabase('idempotency');
    await migrate(gatewayDataSourceOptions({ DATABASE_URL: db.url }));
  });

  afterAll(async () => {
    for (const ds of pools) await ds.destroy().catch(() => undefined);
    await db?.drop();
  });

  let a: IdempotencyService;
  let b: IdempotencyService;
  beforeAll(async () => {
    await pool();
    a = replica();
    await pool();
    b = replica();
  });

  it('runs 20 concurrent duplicates on two replicas exactly once; the rest get 409, later retries the stored answer', async () => {
    let executions = 0;
    const work = async (executionId: string) => {
      executions++;
      await sleep(300);
      return { status: 202, body: { jobId: executionId, success: true } };
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).run(request('race-1'), work)));
    expect(executions).toBe(1);
    const won = outcomes.filter((o): o is PromiseFulfilledResult<{ status: number; body: { jobId: string; success: boolean }; replayed: boolean }> => o.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(lost.every((o) => o.reason instanceof IdempotencyRequestInProgressError)).toBe(true);
    expect((lost[0].reason as IdempotencyRequestInProgressError).headers['Retry-After']).toBe('2');

    const replay = await a.run(request('race-1'), work);
    expect(replay).toEqual({ status: 202, body: won[0].value.body, replayed: true });
    expect(executions).toBe(1);
  });

  it('keys belong to a client: the same key of another client is another request', async () => {
    const one = await a.run(request('shared', { a: 1 }, 'client-a'), async (id) => ({ status: 202, body: { id } }));
    const two = await b.run(request('shared', { a: 2 }, 'client-b'), async (id) => ({ status: 202, body: { id } }));
    expect(one.body.id).not.toBe(two.body.id);
    expect(two.replayed).toBe(false);
  });

  it('refuses the same key with another body with 422, even on the other replica', async () => {
    await a.run(request('mismatch', { a: 1 }), async () => ({ status: 202, body: {} }));
    await expect(b.run(request('mismatch', { a: 2 }), async () => ({ status: 202, body: {} }))).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('re-runs a request whose first attempt failed, under the same execution id, then stores the answer', async () => {
    const seen: string[] = [];
    await expect(
      a.run(request('flaky'), async (id) => {
        seen.push(id);
        throw new Error('broker down');
      }),
    ).rejects.toThrow('broker down');
    const second = await b.run(request('flaky'), async (id) => {
      seen.push(id);
      return { status: 202, body: { id } };
    });
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);
    expect(second).toEqual({ status: 202, body: { id: seen[0] }, replayed: false });
  });

  it('lets a retry take over a request whose replica died mid-request once its lease ran out', async () => {
    const short = replica({ IDEMPOTENCY_LEASE_SECONDS: 1 });
    let firstId = '';
    // The "dead" replica answers only long after its lease ran out.
    const abandoned = short.run(request('abandoned'), async (id) => {
      firstId = id;
      await sleep(2_500);
      return { status: 202, body: { id, late: true } };
    });
    await sleep(100);
    await expect(b.run(request('abandoned'), async () => ({ status: 202, body: {} }))).rejects.toBeInstanceOf(IdempotencyRequestInProgressError);
    await sleep(1_200);
    const taken = await b.run(request('abandoned'), async (id) => ({ status: 202, body: { id } }));
    expect(taken.body).toEqual({ id: firstId });
    // The late answer does not overwrite the one retries now replay.
    await abandoned;
    expect((await a.run(request('abandoned'), async () => ({ status: 500, body: {} }))).body).toEqual({ id: firstId });
  });

  it('forgets a key after its TTL: the next request with it is new, and the sweeper deletes expired records', async () => {
    await db.query(`INSERT INTO gateway.idempotency_record (client_id, idempotency_key, request_hash, state, execution_id, response_status, response_body, locked_until, expires_at)
                    VALUES ('client-a', 'old', repeat('0', 64), 'completed', gen_random_uuid(), 202, '{"old":true}', now(), now() - interval '1 second'),
                           ('client-a', 'old-2', repeat('0', 64), 'completed', gen_random_uuid(), 202, '{"old":true}', now(), now() - interval '1 second')`);
    const fresh = await a.run(request('old', { other: 'body' }), async () => ({ status: 202, body: { fresh: true } }));
    expect(fresh).toEqual({ status: 202, body: { fresh: true }, replayed: false });
    const store = new IdempotencyStore(pools[0]);
    expect(await store.sweep(100)).toBe(1);
    expect(await db.query(`SELECT idempotency_key FROM gateway.idempotency_record WHERE idempotency_key LIKE 'old%'`)).toEqual([{ idempotency_key: 'old' }]);
  });
});
