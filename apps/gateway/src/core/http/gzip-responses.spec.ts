import { once } from 'node:events';
import { type IncomingHttpHeaders, type Server, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import express, { type Response } from 'express';
import { GZIP_MIN_BYTES, gzipResponses, shouldGzip } from './gzip-responses';

function res(statusCode: number, headers: Record<string, string> = {}): Pick<Response, 'statusCode' | 'getHeader'> {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { statusCode, getHeader: ((name: string) => lower[name.toLowerCase()]) as Response['getHeader'] };
}

describe('shouldGzip', () => {
  it('compresses a JSON body of at least 1 KB', () => {
    expect(shouldGzip(res(200, { 'content-type': 'application/json' }), GZIP_MIN_BYTES)).toBe(true);
    expect(shouldGzip(res(400, { 'content-type': 'application/problem+json' }), 5000)).toBe(true);
  });

  it('leaves tiny bodies alone', () => {
    expect(shouldGzip(res(200, { 'content-type': 'application/json' }), GZIP_MIN_BYTES - 1)).toBe(false);
  });

  it('never compresses an event stream', () => {
    expect(shouldGzip(res(200, { 'content-type': 'text/event-stream; charset=utf-8' }), 100_000)).toBe(false);
  });

  it('does not compress twice, nor against no-transform, nor bodiless statuses', () => {
    expect(shouldGzip(res(200, { 'content-encoding': 'gzip' }), 100_000)).toBe(false);
    expect(shouldGzip(res(200, { 'cache-control': 'no-store, no-transform' }), 100_000)).toBe(false);
    expect(shouldGzip(res(204), 100_000)).toBe(false);
    expect(shouldGzip(res(304), 100_000)).toBe(false);
  });
});

describe('gzipResponses on an Express app', () => {
  let server: Server;
  let port: number;
  const sse = { next: () => undefined as void };

  function payload(bytes: number): { records: Array<{ Id: string; Status: string }> } {
    const records = [];
    for (let i = 0; JSON.stringify({ records }).length < bytes; i++) records.push({ Id: `a0B${String(i).padStart(15, '0')}`, Status: 'InProgress' });
    return { records };
  }

  beforeAll(async () => {
    const app = express();
    app.use(gzipResponses());
    app.get('/json/:bytes', (req, res) => {
      res.json(payload(Number(req.params.bytes)));
    });
    app.get('/events', (_req, res) => {
      res.setHeader('Content-Type', 'text/event-stream');
      res.flushHeaders();
      res.write(`data: ${'x'.repeat(2000)}\n\n`);
      sse.next = () => {
        res.end('data: last\n\n');
      };
    });
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  /** The bytes exactly as sent (fetch would inflate them). */
  function get(path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  it.each([
    ['a 30 kB answer (compressed in one call)', 30_000],
    ['a 100 kB answer (compressed on the thread pool)', 100_000],
  ])('gzips %s with matching Content-Length, Vary and a weak ETag', async (_name, bytes) => {
    const res = await get(`/json/${bytes}`, { 'accept-encoding': 'deflate, gzip;q=0.5' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.headers.etag).toMatch(/^W\//);
    expect(JSON.parse(gunzipSync(res.body).toString('utf8'))).toEqual(payload(bytes));
  });

  it('answers the same ETag with 304 and no body', async () => {
    const first = await get('/json/30000', { 'accept-encoding': 'gzip' });
    const again = await get('/json/30000', { 'accept-encoding': 'gzip', 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['content-encoding']).toBeUndefined();
  });

  it('sends identity when gzip is refused or not asked for, and to HEAD', async () => {
    const refusals: Array<Record<string, string>> = [{ 'accept-encoding': 'gzip;q=0, *' }, { 'accept-encoding': 'identity' }, {}];
    for (const headers of refusals) {
      const res = await get('/json/30000', headers);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(JSON.parse(res.body.toString('utf8'))).toEqual(payload(30_000));
    }
    const head = await get('/json/30000', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(head.body.length).toBe(0);
  });

  it('passes an event stream through uncompressed, each event as it is written', async () => {
    const first = new Promise<{ headers: IncomingHttpHeaders; chunk: string; rest: Promise<string> }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/events', headers: { 'accept-encoding': 'gzip' } }, (res) => {
        let rest = '';
        const ended = new Promise<string>((done) => res.on('end', () => done(rest)));
        res.once('data', (c: Buffer) => {
          res.on('data', (more: Buffer) => (rest += more.toString('utf8')));
          resolve({ headers: res.headers, chunk: c.toString('utf8'), rest: ended });
        });
      });
      req.on('error', reject);
      req.end();
    });
    // The first event arrives while the response is still open.
    const { headers, chunk, rest } = await first;
    expect(headers['content-encoding']).toBeUndefined();
    expect(chunk).toBe(`data: ${'x'.repeat(2000)}\n\n`);
    sse.next();
    expect(await rest).toBe('data: last\n\n');
  });
});
