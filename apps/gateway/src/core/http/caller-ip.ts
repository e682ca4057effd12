import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
// Express's own dependency, the function behind `req.ip`; it ships no types.
const proxyaddr = require('proxy-addr') as (req: IncomingMessage, trust: (addr: string, i: number) => boolean) => string;

/**
 * The address a request came from: the peer, or the proxy-reported client when the peer is a
 * trusted proxy (Express applies TRUST_PROXY to `req.ip`). Used as the key of per-address limits.
 */
export function callerIpOf(req: Request): string {
  return req.ip ?? req.socket?.remoteAddress ?? 'unknown';
}

/**
 * `callerIpOf` for a request Express has not seen: what `req.ip` would be, computed as Express
 * computes it, with the app's compiled `trust proxy fn`.
 */
export function callerIpOfRaw(req: IncomingMessage, trust: (addr: string, i: number) => boolean): string {
  return proxyaddr(req, trust) ?? req.socket?.remoteAddress ?? 'unknown';
}
