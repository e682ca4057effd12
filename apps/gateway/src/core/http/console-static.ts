import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { NextFunction, Request, Response } from 'express';

export const CONSOLE_PATH = '/console';

/** Hashed build files never change under their name; everything else is revalidated. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * The console's page runs only its own bundled script and style and talks only to this origin;
 * it cannot be framed. Set on every console response (the assets carry it harmlessly).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The directory the console build is in: `dist/console` beside the nearest package.json. */
export function defaultConsoleDir(from = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'console');
    const up = path.dirname(dir);
    if (up === dir) return path.resolve('dist', 'console');
    dir = up;
  }
}

export function consoleBuilt(dir: string): boolean {
  return existsSync(path.join(dir, 'index.html'));
}

function notFound(res: Response, text: string): void {
  res.status(404).setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', REVALIDATE);
  res.send(text);
}

/**
 * Serves the web console's static build at /console without authentication (the page holds no
 * data; its API calls carry the signed-in client's Bearer token), and redirects / to it. Paths
 * that name no file and have no extension get index.html, so the console's own routes
 * (/console/operations/…) load on reload; a missing asset is a 404, never the page.
 */
export function consoleStatic(dir: string) {
  const root = path.resolve(dir);
  return async function consoleStatic(req: Request, res: Response, next: NextFunction): Promise<void> {
    const url = req.path;
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (url === '/') {
      res.redirect(302, `${CONSOLE_PATH}/`);
      return;
    }
    if (url !== CONSOLE_PATH && !url.startsWith(`${CONSOLE_PATH}/`)) return next();

    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('Referrer-Policy', 'no-referrer');
    let relative: string;
    try {
      relative = decodeURIComponent(url.slice(CONSOLE_PATH.length)).replace(/^\/+/, '');
    } catch {
      return notFound(res, 'Not found');
    }
    const file = path.resolve(root, relative);
    if (relative.includes('\0') || (file !== root && !file.startsWith(root + path.sep))) return notFound(res, 'Not found');

    try {
      if (relative !== '' && relative !== 'index.html') {
        const stat = await fs.stat(file).catch(() => undefined);
        if (stat?.isFile()) return await sendFile(req, res, file, stat, relative.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
        // A file name that is not there (a stale hashed asset, a typo) must not turn into the page.
        if (path.extname(relative) !== '') return notFound(res, 'Not found');
      }
      const index = path.join(root, 'index.html');
      const stat = await fs.stat(index).catch(() => undefined);
      if (!stat) return notFound(res, 'The web console is not built. Run "npm run build" (or "npm run build:console") and restart the gateway.');
      await sendFile(req, res, index, stat, REVALIDATE);
    } catch (e) {
      next(e);
    }
  };
}

async function sendFile(req: Request, res: Response, file: string, stat: { size: number; mtimeMs: number }, cacheControl: string): Promise<void> {
  const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('ETag', etag);
  res.setHeader('Content-Type', TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim() === etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).send(await fs.readFile(file));
}
