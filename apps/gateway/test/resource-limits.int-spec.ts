import { Client } from 'pg';
import { CLIENT_A as A, CLIENT_B as B, ServiceProcess, Stack, startStack, TestClient, TestDatabase, waitFor } from '@asyncops/testing';
import { hashSecret } from '../src/core/auth/secret-hash';

const PER_CLIENT = 2;

/** Live event streams hold a socket each: one client may hold only its share of a gateway process's. */
describe('live event streams per client (gateway + tracker)', () => {
  jest.setTimeout(120_000);

  let stack: Stack;
  let db: TestDatabase;
  let gateway: ServiceProcess;
  const open: AbortController[] = [];

  const stream = async (client: TestClient) => {
    const abort = new AbortController();
    const res = await fetch(`${gateway.url}/api/v1/events`, { headers: { authorization: `Bearer ${await stack.token(client)}` }, signal: abort.signal });
    // A refusal is an ordinary response that ends; an open stream is closed by aborting it.
    if (res.status === 200) open.push(abort);
    return { res, close: () => abort.abort() };
  };

  beforeAll(async () => {
    stack = await startStack('stream_limits', {
      apps: ['tracker', 'gateway'],
      clients: { list: [A, B], hashSecret },
      appEnv: { gateway: { LIVE_STREAMS_PER_CLIENT: String(PER_CLIENT), RPC_TIMEOUT_MS: '3000' } },
    });
    ({ db, gateway } = stack);
    // Tokens are fetched (and cached) up front, so the cases below talk only to the streams.
    await Promise.all([stack.token(A), stack.token(B)]);
  });

  afterAll(async () => {
    for (const a of open) a.abort();
    await stack?.stop();
  });

  it("refuses a client's streams beyond its share with 429 and Retry-After, leaves other clients alone, and counts closed streams out", async () => {
    const first = await stream(A);
    const second = await stream(A);
    expect([first.res.status, second.res.status]).toEqual([200, 200]);

    const third = await stream(A);
    expect(third.res.status).toBe(429);
    expect(Number(third.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await third.res.json()).toMatchObject({ status: 429, code: 'TOO_MANY_STREAMS' });

    expect((await stream(B)).res.status).toBe(200);

    first.close();
    await waitFor('a closed stream to free its slot', async () => {
      const again = await stream(A);
      if (again.res.status !== 200) await again.res.arrayBuffer();
      return again.res.status === 200;
    }, 15_000, 200);
  });

  it("reads a stream's events without the sequencer's lock when the client has nothing to number", async () => {
    // Another session holds the event log's sequencer lock (a long numbering pass, or a stuck one).
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      await sql.query('SELECT pg_advisory_lock(764500000)');
      const res = await fetch(`${gateway.url}/api/v1/events`, { headers: { authorization: `Bearer ${await stack.token(B)}` }, signal: AbortSignal.timeout(10_000) }).catch(
        (e: Error) => e,
      );
      // Without the fix the read waits for the lock until the RPC times out (504 after 3 s).
      expect(res instanceof Response ? res.status : res.message).toBe(200);
      if (res instanceof Response) await res.body?.cancel();
    } finally {
      await sql.query('SELECT pg_advisory_unlock(764500000)').catch(() => undefined);
      await sql.end();
    }
  });
});
