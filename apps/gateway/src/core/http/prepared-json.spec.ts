import express from 'express';
import type { AddressInfo } from 'node:net';
import { gzipResponses } from './gzip-responses';
import { prepareJson, sendJson } from './prepared-json';

/** sendJson against Express's own res.json, on a real server: the same bytes and headers, 304, HEAD and gzip. */
describe('sendJson', () => {
  const value = { totalSize: 2, done: true, records: Array.from({ length: 40 }, (_, i) => ({ Id: `a0X${i}`, Name: 'ünïcode "quoted" \\ text' })) };
  let url: string;
  let close: () => void;

  beforeAll(async () => {
    const app = express();
    app.use(gzipResponses());
    app.get('/json', (_req, res) => void res.json(value));
    app.get('/prepared', (_req, res) => sendJson(res, value));
    app.head('/prepared', (_req, res) => sendJson(res, value));
    app.get('/plain', (_req, res) => sendJson(res, { not: 'prepared' }));
    prepareJson(value);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  const pick = (res: Response) => ['content-type', 'content-length', 'etag', 'content-encoding', 'vary'].map((h) => res.headers.get(h));

  it.each([
    ['identity', {}],
    ['gzip', { 'accept-encoding': 'gzip' }],
  ])('answers as res.json does (%s)', async (_name, headers: Record<string, string>) => {
    const [json, prepared] = await Promise.all([fetch(`${url}/json`, { headers }), fetch(`${url}/prepared`, { headers })]);
    expect(prepared.status).toBe(200);
    expect(pick(prepared)).toEqual(pick(json));
    expect(await prepared.text()).toBe(await json.text());
  });

  it('answers 304 to a matching If-None-Match, and HEAD without a body', async () => {
    const etag = (await fetch(`${url}/json`)).headers.get('etag') as string;
    const conditional = await fetch(`${url}/prepared`, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });
    expect(conditional.status).toBe(304);
    const head = await fetch(`${url}/prepared`, { method: 'HEAD' });
    expect(head.headers.get('etag')).toBe(etag);
    expect(await head.text()).toBe('');
  });

  it('writes a value nobody prepared as res.json', async () => {
    const res = await fetch(`${url}/plain`);
    expect(await res.json()).toEqual({ not: 'prepared' });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });
});
