import { ServiceProcess, Stack, startStack } from '@asyncops/testing';
import { hashSecret } from '../src/core/auth/secret-hash';

const BURSTER = { id: 'burster', secret: 'burster-secret-1' };
const STEADY = { id: 'steady', secret: 'steady-secret-2' };
const BURSTER_LIMIT = 10;
const TOKEN_ENDPOINT_LIMIT = 4;

/** Static and authenticated: answers from the gateway alone, so only the limiter is measured. */
const DESCRIBE = '/services/data/v62.0/sobjects/PendingOrderSummary/describe';

/**
 * Per-client token buckets in a gateway process: one client's burst is cut off with 429 and
 * Retry-After in each surface's shape, while another client's requests in the same moment pass.
 */
describe('rate limits per client (gateway process)', () => {
  jest.setTimeout(90_000);

  let stack: Stack;
  let gateway: ServiceProcess;
  const tokens: Record<string, string> = {};

  const tokenRequest = (client: { id: string; secret: string }) =>
    fetch(`${gateway.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }).toString(),
    });
  const get = (path: string, client: { id: string }) => fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${tokens[client.id]}` } });

  beforeAll(async () => {
    stack = await startStack('rate_limit', {
      apps: ['gateway'],
      clients: { list: [BURSTER, STEADY], hashSecret },
      appEnv: {
        gateway: {
          RATE_LIMIT_DEFAULT: '1000/10s',
          // A refill of one request per minute: nothing comes back while the test runs.
          RATE_LIMIT_OVERRIDES: JSON.stringify({ [BURSTER.id]: `${BURSTER_LIMIT}/10m` }),
          RATE_LIMIT_TOKEN_ENDPOINT: `${TOKEN_ENDPOINT_LIMIT}/10m`,
        },
      },
    });
    ({ gateway } = stack);
    for (const client of [BURSTER, STEADY]) {
      const res = await tokenRequest(client);
      expect(res.status).toBe(200);
      tokens[client.id] = ((await res.json()) as { access_token: string }).access_token;
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("cuts off a client's burst with 429 and Retry-After while another client's requests all succeed", async () => {
    const [burst, steady] = await Promise.all([
      Promise.all(Array.from({ length: 3 * BURSTER_LIMIT }, () => get(DESCRIBE, BURSTER))),
      Promise.all(Array.from({ length: 3 * BURSTER_LIMIT }, () => get(DESCRIBE, STEADY))),
    ]);
    expect(burst.filter((r) => r.status === 200)).toHaveLength(BURSTER_LIMIT);
    const refused = burst.filter((r) => r.status === 429);
    expect(refused).toHaveLength(2 * BURSTER_LIMIT);
    expect(steady.map((r) => r.status)).toEqual(steady.map(() => 200));

    expect(Number(refused[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused[0].headers.get('x-rate-limit-limit')).toBe(String(BURSTER_LIMIT));
    expect(refused[0].headers.get('x-rate-limit-remaining')).toBe('0');
    // Salesforce's own word for it, in its error shape.
    expect(await refused[0].json()).toEqual([expect.objectContaining({ errorCode: 'REQUEST_LIMIT_EXCEEDED' })]);
    const remaining = burst.filter((r) => r.status === 200).map((r) => Number(r.headers.get('x-rate-limit-remaining')));
    expect(remaining.sort((a, b) => a - b)).toEqual(Array.from({ length: BURSTER_LIMIT }, (_, i) => i));
    expect(steady[0].headers.get('x-rate-limit-limit')).toBe('1000');
  });

  it("refuses the limited client on every surface, in that surface's shape", async () => {
    const native = await get('/api/v1/operations', BURSTER);
    expect(native.status).toBe(429);
    expect(native.headers.get('content-type')).toContain('application/problem+json');
    expect(await native.json()).toMatchObject({ status: 429, code: 'REQUEST_LIMIT_EXCEEDED' });

    const voucherify = await fetch(`${gateway.url}/v1/async-actions?limit=1`, { headers: { 'X-App-Id': BURSTER.id, 'X-App-Token': BURSTER.secret } });
    expect(voucherify.status).toBe(429);
    expect(voucherify.headers.get('retry-after')).toBeTruthy();
    expect(await voucherify.json()).toMatchObject({ code: 429, key: 'too_many_requests', request_id: expect.any(String) });
  });

  it('limits the token endpoint per caller IP and leaves health checks alone', async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => tokenRequest(STEADY)));
    // Two tokens were issued in beforeAll.
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 429, 429]);
    const refused = answers.find((r) => r.status === 429);
    if (!refused) throw new Error('no token request was refused');
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(await refused.json()).toMatchObject({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    for (let i = 0; i < 3 * TOKEN_ENDPOINT_LIMIT; i++) expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
  });
});
