import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { PayloadTooLargeError, UnsupportedContentEncodingError } from '../errors/gateway-errors';
import { DialectRegistry } from '../surfaces/dialect-registry';
import { contentEncodingOf, jsonBodyLimitFor, parseJson, readLimitedBody } from './json-body';

const MB = 1024 * 1024;

/** A request whose body is produced lazily, as a socket would deliver it. */
function request(headers: Record<string, string>, chunks: Iterable<Buffer>): IncomingMessage {
  return Object.assign(Readable.from(chunks), { headers }) as unknown as IncomingMessage;
}

function* repeat(chunk: Buffer, times: number): Generator<Buffer> {
  for (let i = 0; i < times; i++) yield chunk;
}

/** Chunks arriving one event-loop turn apart, as packets do, counting how many were delivered. */
async function* arriving(chunks: Iterable<Buffer>, delivered: { count: number }): AsyncGenerator<Buffer> {
  for (const chunk of chunks) {
    await new Promise((resolve) => setImmediate(resolve));
    delivered.count++;
    yield chunk;
  }
}

describe('readLimitedBody', () => {
  // One gzip member of 8 MB of zeros; members may be concatenated, so N of them inflate to N x 8 MB.
  const member = gzipSync(Buffer.alloc(8 * MB));

  it('reads a gzip body that inflates within the cap', async () => {
    const body = await readLimitedBody(request({ 'content-encoding': 'gzip' }, [gzipSync(Buffer.from('{"a":1}'))]), MB);
    expect(body.toString()).toBe('{"a":1}');
  });

  it('cuts a gzip bomb off at the decompressed cap, long before the end of the upload', async () => {
    const delivered = { count: 0 };
    const req = Object.assign(Readable.from(arriving(repeat(member, 128), delivered)), { headers: { 'content-encoding': 'gzip' } }) as unknown as IncomingMessage; // 1 GB once inflated
    const buffersBefore = process.memoryUsage().arrayBuffers;
    const refusal = await readLimitedBody(req, MB).then(
      () => undefined,
      (error: unknown) => ({ error, deliveredBefore: delivered.count }),
    );
    expect(refusal?.error).toBeInstanceOf(PayloadTooLargeError);
    // Refused at the cap: a few members at most had arrived, not all 128.
    expect(refusal?.deliveredBefore).toBeLessThan(8);
    // Buffering the inflated body would hold a gigabyte here; stopping at the cap holds about one megabyte.
    expect(process.memoryUsage().arrayBuffers - buffersBefore).toBeLessThan(64 * MB);
  });

  it('counts decompressed bytes, not compressed ones', async () => {
    expect(member.length).toBeLessThan(MB);
    await expect(readLimitedBody(request({ 'content-encoding': 'gzip' }, [member]), MB)).rejects.toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a declared Content-Length over the cap without reading it', async () => {
    const req = request({ 'content-length': String(2 * MB) }, [Buffer.alloc(2 * MB)]);
    await expect(readLimitedBody(req, MB)).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it('refuses an identity body that turns out larger than the cap', async () => {
    await expect(readLimitedBody(request({}, repeat(Buffer.alloc(64 * 1024), 32)), MB)).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it('answers a corrupt gzip stream with a malformed-body error', async () => {
    await expect(readLimitedBody(request({ 'content-encoding': 'gzip' }, [Buffer.from('not gzip at all')]), MB)).rejects.toMatchObject({ status: 400, code: 'MALFORMED_BODY' });
  });
});

describe('contentEncodingOf', () => {
  it.each([
    [undefined, 'identity'],
    ['identity', 'identity'],
    ['gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
  ])('%j → %s', (value, expected) => {
    expect(contentEncodingOf(value === undefined ? {} : { 'content-encoding': value })).toBe(expected);
  });

  it.each(['br', 'deflate', 'compress', 'gzip, gzip', 'zstd'])('refuses %j with 415', (value) => {
    let thrown: unknown;
    try {
      contentEncodingOf({ 'content-encoding': value });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(UnsupportedContentEncodingError);
    expect(thrown).toMatchObject({ status: 415, code: 'UNSUPPORTED_CONTENT_ENCODING' });
  });
});

describe('jsonBodyLimitFor', () => {
  const limits = { defaultMaxBytes: MB, bulkMaxBytes: 32 * MB };
  const dialects = new DialectRegistry();
  dialects.register({ name: 'a', bulkJsonRoutes: [/^\/a\/bulk\/?$/] });
  dialects.register({ name: 'b', bulkJsonRoutes: [/^\/b\/[^/]+\/items$/] });

  it.each(['/a/bulk', '/a/bulk/', '/b/x/items'])('gives bulk route %s, declared by a dialect, the large cap', (path) => {
    expect(jsonBodyLimitFor(path, limits, dialects)).toBe(32 * MB);
  });

  it.each(['/a', '/a/bulk/extra', '/b/x/place', '/api/v1/operations'])('keeps %s on the small default', (path) => {
    expect(jsonBodyLimitFor(path, limits, dialects)).toBe(MB);
  });
});

describe('parseJson', () => {
  it('parses objects and arrays, and treats an empty body as {}', () => {
    expect(parseJson(Buffer.from('{"a":[1]}'))).toEqual({ a: [1] });
    expect(parseJson(Buffer.from('[1,2]'))).toEqual([1, 2]);
    expect(parseJson(Buffer.from(' '))).toEqual({});
  });

  it.each(['{"a":"x\\u0000"}', '{"a\\u0000":1}', '["\\\\\\u0000"]'])('refuses %s: a NUL character no field can store', (text) => {
    expect(() => parseJson(Buffer.from(text))).toThrow(expect.objectContaining({ status: 400, code: 'MALFORMED_BODY', message: expect.stringContaining('NUL') }));
  });

  it('keeps an escaped backslash followed by the letters u0000', () => {
    expect(parseJson(Buffer.from('{"a":"\\\\u0000"}'))).toEqual({ a: '\\u0000' });
  });

  it.each(['{"a":', '42', '"text"', 'null'])('refuses %j as a malformed body naming the parse rule', (text) => {
    expect(() => parseJson(Buffer.from(text))).toThrow(expect.objectContaining({ status: 400, code: 'MALFORMED_BODY', errors: [expect.objectContaining({ field: 'body', rule: 'parse' })] }));
  });
});
