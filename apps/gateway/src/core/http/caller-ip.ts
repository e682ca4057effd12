import type { Request } from 'express';

/**
 * The address a request came from: the peer, or the proxy-reported client when the peer is a
 * trusted proxy (Express applies TRUST_PROXY to `req.ip`). Used as the key of per-address limits.
 */
export function callerIpOf(req: Request): string {
  return req.ip ?? req.socket?.remoteAddress ?? 'unknown';
}
