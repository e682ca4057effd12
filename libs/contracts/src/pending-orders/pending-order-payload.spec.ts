import { gzipSync } from 'node:zlib';
import { decodePendingOrderPayload, PayloadError } from './pending-order-payload';

const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof PayloadError) return e.code;
    throw e;
  }
  throw new Error('expected a PayloadError');
};

describe('decodePendingOrderPayload', () => {
  const json = JSON.stringify({ orderItems: [{ sku: 'A', quantity: 1, unitPrice: '1.00' }] });

  it('decodes JSON_RAW and JSON_GZIP to the same object', () => {
    expect(decodePendingOrderPayload(json, 'JSON_RAW')).toEqual(JSON.parse(json));
    expect(decodePendingOrderPayload(gzipSync(json).toString('base64'), 'JSON_GZIP')).toEqual(JSON.parse(json));
  });

  it('stops inflating a gzip bomb at the decompressed-size cap', () => {
    // 64 MiB of spaces gzip to ~64 KiB of base64: under the character cap, far over the inflate cap.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)).toString('base64');
    expect(bomb.length).toBeLessThan(131_072);
    expect(codeOf(() => decodePendingOrderPayload(bomb, 'JSON_GZIP'))).toBe('PAYLOAD_DECOMPRESSED_TOO_LARGE');
  });

  it('honours smaller limits', () => {
    const b64 = gzipSync(json).toString('base64');
    expect(codeOf(() => decodePendingOrderPayload(b64, 'JSON_GZIP', { maxChars: 10_000, maxDecompressedBytes: 10 }))).toBe('PAYLOAD_DECOMPRESSED_TOO_LARGE');
    expect(codeOf(() => decodePendingOrderPayload(json, 'JSON_RAW', { maxChars: 5, maxDecompressedBytes: 1000 }))).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['not base64 at all!', 'JSON_GZIP', 'PAYLOAD_NOT_BASE64'],
    ['', 'JSON_GZIP', 'PAYLOAD_NOT_BASE64'],
    [Buffer.from('plain text, not gzip').toString('base64'), 'JSON_GZIP', 'PAYLOAD_NOT_GZIP'],
    [gzipSync('{"a":').toString('base64'), 'JSON_GZIP', 'PAYLOAD_NOT_JSON'],
    ['{"orderItems": [', 'JSON_RAW', 'PAYLOAD_NOT_JSON'],
    ['[1, 2]', 'JSON_RAW', 'PAYLOAD_NOT_OBJECT'],
    ['null', 'JSON_RAW', 'PAYLOAD_NOT_OBJECT'],
  ] as const)('refuses %j as %s with %s', (payload, type, code) => {
    expect(codeOf(() => decodePendingOrderPayload(payload, type))).toBe(code);
  });
});
