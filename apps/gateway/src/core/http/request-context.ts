import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { DialectRegistry, dialectsOf } from '../surfaces/dialect-registry';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Printable, header-safe and log-safe; anything else is replaced rather than trusted. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:@+=/-]{1,100}$/;

interface RequestContext {
  requestId?: string;
  clientId?: string;
}

const contexts = new WeakMap<Request, RequestContext>();

function contextOf(req: Request): RequestContext {
  let ctx = contexts.get(req);
  if (!ctx) {
    ctx = {};
    contexts.set(req, ctx);
  }
  return ctx;
}

/** A fresh id in the form of the dialect the request came to; a UUID where the dialect has no form of its own. */
export function newRequestId(req: Request): string {
  return newRequestIdFor(req.path, dialectsOf(req));
}

/** A fresh id in the form of the dialect serving `path` (a request's path, no query); a UUID where it has none. */
export function newRequestIdFor(path: string | undefined, dialects: DialectRegistry | undefined): string {
  const form = path === undefined ? undefined : dialects?.forPath(path)?.newRequestId;
  return form ? form() : randomUUID();
}

export function isSafeRequestId(value: unknown): value is string {
  return typeof value === 'string' && SAFE_REQUEST_ID.test(value);
}

/** The id a request gets: the caller's X-Request-Id when it is safe, else a new one for its path. */
export function requestIdFor(incoming: unknown, path: string | undefined, dialects: DialectRegistry | undefined): string {
  return isSafeRequestId(incoming) ? incoming : newRequestIdFor(path, dialects);
}

/**
 * The request's id, assigned on first use: the caller's X-Request-Id when it is safe, else a new
 * one. Idempotent, because errors raised before any middleware ran (a body that fails to parse)
 * still need an id in their problem body and log line.
 */
export function ensureRequestId(req: Request, res?: Response): string {
  const ctx = contextOf(req);
  if (!ctx.requestId) {
    ctx.requestId = requestIdFor(req.headers['x-request-id'], req.path, dialectsOf(req));
  }
  if (res && !res.headersSent && !res.getHeader(REQUEST_ID_HEADER)) res.setHeader(REQUEST_ID_HEADER, ctx.requestId);
  return ctx.requestId;
}

export function setClientId(req: Request, clientId: string): void {
  contextOf(req).clientId = clientId;
}

/** The authenticated client, set by the auth guard; undefined on public routes. */
export function clientIdOf(req: Request): string | undefined {
  return contexts.get(req)?.clientId;
}

/** The Express setting holding PUBLIC_BASE_URL (normalised, no trailing slash), when configured. */
export const PUBLIC_BASE_URL_SETTING = 'asyncops public base url';

/**
 * The base URL handed back to callers (instance_url, identity and next-page links): PUBLIC_BASE_URL
 * when configured, so a forged Host header is never reflected; otherwise the scheme and host the
 * caller used (X-Forwarded-Proto/-Host count only from a proxy TRUST_PROXY trusts).
 */
export function originOf(req: Request): string {
  const configured = (req.app as { get?: (name: string) => unknown } | undefined)?.get?.(PUBLIC_BASE_URL_SETTING);
  if (typeof configured === 'string' && configured) return configured;
  return `${req.protocol}://${req.host ?? req.get('host') ?? 'localhost'}`;
}
