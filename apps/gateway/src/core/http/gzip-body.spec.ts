import { gunzipSync } from 'node:zlib';
import { GZIP_SYNC_BELOW_BYTES, gzipBody } from './gzip-body';

function jsonOf(size: number): Buffer {
  const record = JSON.stringify({ Id: 'a0B000000000001AAA', Status: 'InProgress', JobType: 'PlaceQuote' });
  const body = Buffer.from(`[${Array.from({ length: Math.ceil(size / record.length) }, () => record).join(',')}]`);
  return body.subarray(0, size);
}

describe('gzipBody', () => {
  it('compresses a 30 kB JSON answer in the call itself, and it inflates to the same bytes', () => {
    const body = jsonOf(30_000);
    const zipped = gzipBody(body);
    expect(Buffer.isBuffer(zipped)).toBe(true);
    expect((zipped as Buffer).length).toBeLessThan(body.length / 5);
    expect(gunzipSync(zipped as Buffer).equals(body)).toBe(true);
  });

  it('compresses synchronously just below the threshold and on the thread pool from it on', async () => {
    const below = jsonOf(GZIP_SYNC_BELOW_BYTES - 1);
    const at = jsonOf(GZIP_SYNC_BELOW_BYTES);
    const small = gzipBody(below);
    const large = gzipBody(at);
    expect(Buffer.isBuffer(small)).toBe(true);
    expect(large).toBeInstanceOf(Promise);
    expect(gunzipSync(small as Buffer).equals(below)).toBe(true);
    expect(gunzipSync(await large).equals(at)).toBe(true);
  });

  it('round-trips binary and empty bodies', async () => {
    const binary = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256));
    expect(gunzipSync(await gzipBody(binary)).equals(binary)).toBe(true);
    expect(gunzipSync(await gzipBody(Buffer.alloc(0))).length).toBe(0);
  });
});
