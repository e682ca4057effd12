import { gzipSync } from 'node:zlib';
import { decodeAdmittedPendingOrderPayload, decodePendingOrderPayload, InflateBudget, PayloadError } from './pending-order-payload';

const codeOf = async (f: () => Promise<unknown>): Promise<string> => {
  try {
    await f();
  } catch (e) {
    if (e instanceof PayloadError) return e.code;
    throw e;
  }
  throw new Error('expected a PayloadError');
};

describe('decodePendingOrderPayload', () => {
  const json = JSON.stringify({ orderItems: [{ sku: 'A', quantity: 1, unitPrice: '1.00' }] });

  it('decodes JSON_RAW and JSON_GZIP to the same object', async () => {
    expect(await decodePendingOrderPayload(json, 'JSON_RAW')).toEqual(JSON.parse(json));
    expect(await decodePendingOrderPayload(gzipSync(json).toString('base64'), 'JSON_GZIP')).toEqual(JSON.parse(json));
  });

  it('stops inflating a gzip bomb at the decompressed-size cap', async () => {
    // 64 MiB of spaces gzip to ~64 KiB of base64: under the character cap, far over the inflate cap.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)).toString('base64');
    expect(bomb.length).toBeLessThan(131_072);
    expect(await codeOf(() => decodePendingOrderPayload(bomb, 'JSON_GZIP'))).toBe('PAYLOAD_DECOMPRESSED_TOO_LARGE');
  });

  it('honours smaller limits', async () => {
    const b64 = gzipSync(json).toString('base64');
    expect(await codeOf(() => decodePendingOrderPayload(b64, 'JSON_GZIP', { maxChars: 10_000, maxDecompressedBytes: 10 }))).toBe('PAYLOAD_DECOMPRESSED_TOO_LARGE');
    expect(await codeOf(() => decodePendingOrderPayload(json, 'JSON_RAW', { maxChars: 5, maxDecompressedBytes: 1000 }))).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['not base64 at all!', 'JSON_GZIP', 'PAYLOAD_NOT_BASE64'],
    ['', 'JSON_GZIP', 'PAYLOAD_NOT_BASE64'],
    [Buffer.from('plain text, not gzip').toString('base64'), 'JSON_GZIP', 'PAYLOAD_NOT_GZIP'],
    [gzipSync('{"a":').toString('base64'), 'JSON_GZIP', 'PAYLOAD_NOT_JSON'],
    ['{"orderItems": [', 'JSON_RAW', 'PAYLOAD_NOT_JSON'],
    ['[1, 2]', 'JSON_RAW', 'PAYLOAD_NOT_OBJECT'],
    ['null', 'JSON_RAW', 'PAYLOAD_NOT_OBJECT'],
  ] as const)('refuses %j as %s with %s', async (payload, type, code) => {
    expect(await codeOf(() => decodePendingOrderPayload(payload, type))).toBe(code);
  });

  it('inflates off the event loop: other callbacks run while a payload inflates', async () => {
    // Nearly 1 MiB inflated: many thread-pool round trips, between which the loop turns.
    const large = gzipSync(JSON.stringify({ orderItems: [], note: ' '.repeat(1_000_000) })).toString('base64');
    const order: string[] = [];
    const decoding = decodePendingOrderPayload(large, 'JSON_GZIP').then(() => order.push('inflated'));
    setImmediate(() => order.push('loop turned'));
    await decoding;
    expect(order).toEqual(['loop turned', 'inflated']);
  });

  it('inflates small payloads in one call each, yet lets the event loop turn during a long run of them', async () => {
    // ~60 KiB inflated each: the synchronous path; 400 of them take well over one 10 ms slice.
    const small = gzipSync(JSON.stringify({ orderItems: [], note: 'x'.repeat(60_000) })).toString('base64');
    const budget = new InflateBudget(Number.POSITIVE_INFINITY, 60_000);
    const order: string[] = [];
    setImmediate(() => order.push('loop turned'));
    for (let i = 0; i < 400; i++) {
      expect(await decodePendingOrderPayload(small, 'JSON_GZIP', undefined, budget)).toMatchObject({ orderItems: [] });
      order.push('inflated');
    }
    expect(order.indexOf('loop turned')).toBeGreaterThan(0);
    expect(order.indexOf('loop turned')).toBeLessThan(400);
  });

  it("charges small payloads' inflated bytes to the request's budget too", async () => {
    const b64 = gzipSync(Buffer.from(JSON.stringify({ orderItems: [], note: ' '.repeat(30_000) }))).toString('base64');
    const budget = new InflateBudget(70_000, 60_000);
    await decodePendingOrderPayload(b64, 'JSON_GZIP', undefined, budget);
    await decodePendingOrderPayload(b64, 'JSON_GZIP', undefined, budget);
    expect(await codeOf(() => decodePendingOrderPayload(b64, 'JSON_GZIP', undefined, budget))).toBe('PAYLOAD_INFLATE_BUDGET_SPENT');
  });

  it("charges every inflated byte to the request's budget and refuses once it is spent", async () => {
    const b64 = gzipSync(Buffer.from(JSON.stringify({ orderItems: [], note: ' '.repeat(300_000) }))).toString('base64');
    const budget = new InflateBudget(700_000, 60_000);
    await decodePendingOrderPayload(b64, 'JSON_GZIP', undefined, budget);
    await decodePendingOrderPayload(b64, 'JSON_GZIP', undefined, budget);
    expect(await codeOf(() => decodePendingOrderPayload(b64, 'JSON_GZIP', undefined, budget))).toBe('PAYLOAD_INFLATE_BUDGET_SPENT');
    // Spent stays spent; raw payloads are not inflated and cost nothing.
    expect(await codeOf(() => decodePendingOrderPayload(gzipSync(json).toString('base64'), 'JSON_GZIP', undefined, budget))).toBe('PAYLOAD_INFLATE_BUDGET_SPENT');
    expect(await decodePendingOrderPayload(json, 'JSON_RAW', undefined, budget)).toEqual(JSON.parse(json));
  });

  it('refuses to inflate once the request has no inflate time left, naming the rule', async () => {
    const budget = new InflateBudget(1_000_000, 0);
    await expect(decodePendingOrderPayload(gzipSync(json).toString('base64'), 'JSON_GZIP', undefined, budget)).rejects.toMatchObject({
      code: 'PAYLOAD_INFLATE_BUDGET_SPENT',
      message: expect.stringContaining('rule inflateBudget'),
    });
  });
});

describe('decodeAdmittedPendingOrderPayload (a stored record, decoded in one synchronous call)', () => {
  const json = JSON.stringify({ orderItems: [{ sku: 'A', quantity: 1, unitPrice: '1.00' }] });
  const syncCodeOf = (f: () => unknown): Promise<string> => codeOf(async () => f());

  it('decodes what the asynchronous decoder decodes', async () => {
    const b64 = gzipSync(json).toString('base64');
    expect(decodeAdmittedPendingOrderPayload(b64, 'JSON_GZIP')).toEqual(await decodePendingOrderPayload(b64, 'JSON_GZIP'));
    expect(decodeAdmittedPendingOrderPayload(json, 'JSON_RAW')).toEqual(JSON.parse(json));
  });

  it('stops a gzip bomb at the cap', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)).toString('base64');
    expect(await syncCodeOf(() => decodeAdmittedPendingOrderPayload(bomb, 'JSON_GZIP'))).toBe('PAYLOAD_DECOMPRESSED_TOO_LARGE');
    expect(await syncCodeOf(() => decodeAdmittedPendingOrderPayload(gzipSync(json).toString('base64'), 'JSON_GZIP', { maxChars: 10_000, maxDecompressedBytes: 10 }))).toBe(
      'PAYLOAD_DECOMPRESSED_TOO_LARGE',
    );
  });

  it.each([
    ['not base64 at all!', 'JSON_GZIP', 'PAYLOAD_NOT_BASE64'],
    [Buffer.from('plain text, not gzip').toString('base64'), 'JSON_GZIP', 'PAYLOAD_NOT_GZIP'],
    [gzipSync(json).subarray(0, 20).toString('base64').replace(/=+$/, '').padEnd(28, 'A'), 'JSON_GZIP', 'PAYLOAD_NOT_GZIP'],
    [gzipSync('{"a":').toString('base64'), 'JSON_GZIP', 'PAYLOAD_NOT_JSON'],
    ['[1, 2]', 'JSON_RAW', 'PAYLOAD_NOT_OBJECT'],
  ] as const)('refuses %j as %s with %s, as the asynchronous decoder does', async (payload, type, code) => {
    expect(await syncCodeOf(() => decodeAdmittedPendingOrderPayload(payload, type))).toBe(code);
    expect(await codeOf(() => decodePendingOrderPayload(payload, type))).toBe(code);
  });
});
