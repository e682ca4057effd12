import type { INestApplication } from '@nestjs/common';
import { hashSecret } from '../../src/core/auth/secret-hash';
import { OperationViewCache } from '../../src/core/tracker/operation-view-cache';

/** Headers that differ between any two answers by design. */
export const PER_REQUEST_HEADERS: ReadonlySet<string> = new Set(['date', 'x-request-id', 'x-rate-limit-remaining', 'connection', 'keep-alive']);

/** An answer as the read-edge specs compare them: status, body and every header but the per-request ones. */
export interface EdgeAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export async function answerOf(res: Response): Promise<EdgeAnswer> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!PER_REQUEST_HEADERS.has(name)) headers[name] = value;
  });
  return { status: res.status, body: await res.text(), headers };
}

/** The owner, another client and a client with a tiny rate limit (`LIMITED_OVERRIDE`). */
export const SHOP = { id: 'shop', secret: 'shop-secret-1' };
export const OTHER = { id: 'other-shop', secret: 'other-secret-2' };
export const LIMITED = { id: 'limited-shop', secret: 'limited-secret-3' };
export const LIMITED_OVERRIDE = JSON.stringify({ [LIMITED.id]: '3/1m' });

/** `AUTH_CLIENTS` for the three clients. */
export async function clientsEnv(): Promise<string> {
  const entries = await Promise.all([SHOP, OTHER, LIMITED].map(async (c) => ({ clientId: c.id, name: c.id, secretHash: await hashSecret(c.secret) })));
  return JSON.stringify(entries);
}

/**
 * The suite's hooks shared by the read-edge specs: an interceptor only the routed path runs tells
 * the edge's answers from the router's (`routed` counts routed reads), Express's own entry point
 * tells the fast path's answers (before Express) from everything else (`express` counts the
 * requests Express saw), and every case starts from an empty, live view cache and a fresh fake
 * tracker. The returned spies and cache exist from the first case on.
 */
export function watchEdgeReads(
  appOf: () => INestApplication | undefined,
  routedBy: { prototype: { intercept: (...args: never[]) => unknown } },
  rpc: { request: jest.Mock },
): { readonly routed: jest.SpyInstance; readonly express: jest.SpyInstance; readonly views: OperationViewCache } {
  let routed: jest.SpyInstance | undefined;
  let express: jest.SpyInstance | undefined;
  let views: OperationViewCache | undefined;
  const started = () => {
    const app = appOf();
    if (!app) throw new Error('the gateway of the suite has not started');
    views ??= app.get(OperationViewCache);
    routed ??= jest.spyOn(routedBy.prototype, 'intercept');
    // Express's app function hands every request it is given to `app.handle`.
    express ??= jest.spyOn(app.getHttpAdapter().getInstance() as { handle: (...args: unknown[]) => unknown }, 'handle');
  };

  afterAll(async () => {
    routed?.mockRestore();
    express?.mockRestore();
    await appOf()?.close();
  });

  beforeEach(() => {
    started();
    // A live change stream (the in-process broker is offline): reads are cached again from empty.
    views?.reset(true);
    rpc.request.mockReset();
    routed?.mockClear();
    express?.mockClear();
  });

  return {
    get routed() {
      return routed as jest.SpyInstance;
    },
    get express() {
      return express as jest.SpyInstance;
    },
    get views() {
      return views as OperationViewCache;
    },
  };
}

/**
 * Bearer tokens by client, fetched once per spec from `tokenPath` of the gateway `baseOf()` names
 * (the specs' gateways listen on a port chosen at start-up).
 */
export function tokenCache(baseOf: () => string, tokenPath: string): (client: { id: string; secret: string }) => Promise<string> {
  const tokens = new Map<string, string>();
  return async (client) => {
    const known = tokens.get(client.id);
    if (known) return known;
    const res = await fetch(`${baseOf()}${tokenPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }),
    });
    const token = ((await res.json()) as { access_token: string }).access_token;
    tokens.set(client.id, token);
    return token;
  };
}
