import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import express from 'express';
import { CONSOLE_CSP, consoleBuilt, consoleStatic, defaultConsoleDir } from './console-static';

const ROOT = path.resolve(__dirname, '../../../../..');

describe('web console static files', () => {
  const dir = path.join(ROOT, 'tmp', `console-static-${process.pid}`);
  let server: ReturnType<express.Express['listen']>;
  let base: string;

  beforeAll(async () => {
    mkdirSync(path.join(dir, 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(ROOT, 'tmp', `secret-${process.pid}.txt`), 'outside');
    const app = express();
    app.use(consoleStatic(dir));
    app.use((_req, res) => res.status(418).send('api'));
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
    rmSync(path.join(ROOT, 'tmp', `secret-${process.pid}.txt`), { force: true });
  });

  it('serves hashed assets as immutable and the page as revalidated, with a strict CSP', async () => {
    const asset = await fetch(`${base}/console/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log(1)');
    const page = await fetch(`${base}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers the console routes with the page (SPA fallback) but a missing asset with 404', async () => {
    for (const p of ['/console', '/console/operations', '/console/operations/3f2c1b0a-9e8d-4c7b-8a6f-5e4d3c2b1a09']) {
      const res = await fetch(`${base}${p}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>console</title>');
    }
    const missing = await fetch(`${base}/console/assets/index-old999.js`);
    expect(missing.status).toBe(404);
  });

  it('revalidates with the ETag', async () => {
    const first = await fetch(`${base}/console/assets/index-abc123.js`);
    const etag = first.headers.get('etag') as string;
    const again = await fetch(`${base}/console/assets/index-abc123.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('never serves a file outside the build directory', async () => {
    // An encoded slash keeps ".." inside the path that reaches the server.
    for (const p of [`/console/..%2Fsecret-${process.pid}.txt`, `/console/assets/..%2F..%2Fsecret-${process.pid}.txt`, '/console/%00', '/console/%E0%A4%A']) {
      const res = await fetch(`${base}${p}`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('outside');
    }
  });

  it('redirects / to the console and leaves every other path to the API', async () => {
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');
    expect((await fetch(`${base}/api/v1/operations`)).status).toBe(418);
    expect((await fetch(`${base}/consoles`)).status).toBe(418);
    expect((await fetch(`${base}/console/`, { method: 'POST' })).status).toBe(418);
  });

  it('says how to build the console when it is not built', async () => {
    const app = express();
    app.use(consoleStatic(path.join(dir, 'nothing-here')));
    const s = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => s.once('listening', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/console/`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('npm run build');
    } finally {
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it('finds dist/console beside the repository package.json', () => {
    expect(defaultConsoleDir(__dirname)).toBe(path.join(ROOT, 'dist', 'console'));
    expect(consoleBuilt(dir)).toBe(true);
  });
});
