import { Readable } from 'node:stream';
import type { Request } from 'express';
import { InvalidUploadError, UploadTooLargeError } from '../voucherify-errors';
import { streamUpload } from './upload-stream';

const BOUNDARY = 'test-boundary-123';

function multipartRequest(parts: Array<{ name: string; filename?: string; content: string | Buffer }>): Request {
  const pieces: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`;
    pieces.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\nContent-Type: text/csv\r\n\r\n`));
    pieces.push(Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content));
    pieces.push(Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  const body = Buffer.concat(pieces);
  const req = Readable.from([body.subarray(0, 100), body.subarray(100)]) as unknown as Request;
  (req as unknown as { headers: Record<string, string> }).headers = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(body.length) };
  return req;
}

describe('streamUpload', () => {
  it('hands the file field to the sink in fixed-size chunks, in order, one at a time', async () => {
    const content = Buffer.from('Code\n' + Array.from({ length: 500 }, (_, i) => `C-${i}`).join('\n'));
    const got: Array<[number, Buffer]> = [];
    let inFlight = 0;
    const stored = await streamUpload(
      multipartRequest([{ name: 'note', content: 'ignored' }, { name: 'file', filename: 'v.csv', content }]),
      1_000_000,
      async (seq, data) => {
        expect(++inFlight).toBe(1);
        await new Promise((r) => setTimeout(r, 1));
        got.push([seq, Buffer.from(data)]);
        inFlight--;
      },
      1024,
    );
    expect(stored).toEqual({ chunks: Math.ceil(content.length / 1024), bytes: content.length });
    expect(got.map(([s]) => s)).toEqual(got.map((_, i) => i));
    expect(got.slice(0, -1).every(([, d]) => d.length === 1024)).toBe(true);
    expect(Buffer.concat(got.map(([, d]) => d))).toEqual(content);
  });

  it('refuses an upload over the limit with 413 as soon as it crosses it', async () => {
    const sink = jest.fn(async () => undefined);
    const error = await streamUpload(multipartRequest([{ name: 'file', filename: 'big.csv', content: 'x'.repeat(5000) }]), 4096, sink, 1024).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadTooLargeError);
    expect((error as UploadTooLargeError).status).toBe(413);
    expect(sink.mock.calls.length).toBeLessThanOrEqual(4);
  });

  it('requires multipart/form-data with a field named file', async () => {
    const plain = Readable.from([Buffer.from('{}')]) as unknown as Request;
    (plain as unknown as { headers: Record<string, string> }).headers = { 'content-type': 'application/json' };
    await expect(streamUpload(plain, 100, async () => undefined)).rejects.toBeInstanceOf(InvalidUploadError);
    await expect(streamUpload(multipartRequest([{ name: 'other', filename: 'a.csv', content: 'Code\nA' }]), 100, async () => undefined)).rejects.toThrow(/"file" is required/);
  });
});
