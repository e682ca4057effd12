import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { ContextLogger, HTTP_METRICS_SETTING, JsonLogger, observeHttpRequest } from '@asyncops/platform';
import { appKeysOf } from '../auth/auth.guard';
import { AuthThrottle } from '../auth/auth-throttle';
import { admittedBeforeAuth } from '../auth/pre-auth-gate';
import { ClientRateLimit, RATE_LIMIT_LIMIT_HEADER, RATE_LIMIT_REMAINING_HEADER } from '../rate-limit/client-rate-limit';
import { DialectRegistry } from '../surfaces/dialect-registry';
import { acceptsGzip } from './accept-encoding';
import { callerIpOfRaw } from './caller-ip';
import { gzipBody } from './gzip-body';
import { gzippedEtag, shouldGzip } from './gzip-responses';
import { EtagFn, Prepared, ReadEdge } from './read-edge';
import { REQUEST_ID_HEADER, requestIdFor } from './request-context';
import { writeAccessLog } from './request-logging';

// Express's own dependency, the function behind `req.fresh`; it ships no types.
const fresh = require('fresh') as (reqHeaders: IncomingMessage['headers'], resHeaders: { etag?: string; 'last-modified'?: string }) => boolean;

/** One encoding of a prepared answer, as written: the body and the headers after the per-request ones. */
interface Wire {
  /**
   * The identity body as its JSON text: Node writes a string body in one piece with the status
   * line and headers (one `write`); a Buffer (the gzipped one) goes out with them as a `writev`.
   */
  body: Buffer | string;
  /** The ETag the freshness check compares (Express compares the identity one, before gzip weakens it). */
  etag: string | undefined;
  /** Headers of the 200 answer (from Content-Type on), flat: name, value, name, value. */
  ok: string[];
  /** Headers of the 304 answer: Express drops Content-Type and Content-Length. */
  notModified: string[];
}

interface Wires {
  identity: Wire;
  /** For clients accepting gzip: null when gzip leaves the body as it is (too small), a promise while a large body is compressed. */
  gzip: Wire | null | Promise<unknown>;
}

/** What the access log and the metrics need once the response ends, kept on the response. */
interface Pending {
  log: ContextLogger;
  requestId: string;
  path: string;
  started: bigint;
  clientId: string;
  template: string;
}

const PENDING = Symbol('read-edge pending answer');
type PendingResponse = ServerResponse & { [PENDING]?: Pending };

/** The edge middleware's per-response listeners, shared by every answer (no closure per request). */
function onClose(this: PendingResponse): void {
  const p = this[PENDING];
  if (p) writeAccessLog(p.log, p.requestId, 'GET', p.path, this.statusCode, p.started, p.clientId, this.writableFinished);
}
function onFinish(this: PendingResponse): void {
  const p = this[PENDING];
  if (p) observeHttpRequest('GET', p.template, this.statusCode, p.started);
}

export interface ReadEdgeServerDeps {
  logger: JsonLogger;
  throttle: AuthThrottle;
  limits: ClientRateLimit;
  dialects: DialectRegistry;
}

/** The part of the Express app the fast path reads: its compiled settings. */
interface ExpressSettings {
  get(setting: string): unknown;
}

/**
 * The read edge's fast path: answers cache hits of its plain routes (see `ReadEdge.find`) on the
 * HTTP server's `request` event, before Express sees the request, doing what the edge middleware
 * would have done on the way (see configure-http.ts), through the functions the middleware uses:
 * the request id (X-Request-Id echoed or made in the dialect's form), one access-log line when the
 * response closes, the request's timing under its route template (when the app times requests),
 * the per-address gate and the client's bucket, gzip (a body worth it, for a client that accepts
 * it, Vary and the weakened ETag) and Express's ETag / If-None-Match → 304. Bodies and headers
 * are prepared once per cached view, raw and gzipped; a request costs a token and cache lookup,
 * the two buckets and one `writeHead` + `end`.
 *
 * Anything else goes to Express untouched, with nothing taken from any bucket: another route or
 * method, a miss, a body on the request, a refusal of either bucket (Express's gate or limiter then
 * refuses in the route's shape), an answer still being compressed.
 */
export class ReadEdgeServer {
  private readonly log: ContextLogger;
  private readonly wires = new WeakMap<Prepared, Wires>();
  private readonly trust: (addr: string, i: number) => boolean;
  private readonly etagOf: EtagFn | undefined;
  private readonly timed: boolean;

  constructor(
    private readonly edge: ReadEdge,
    express: ExpressSettings,
    private readonly deps: ReadEdgeServerDeps,
  ) {
    this.log = deps.logger.child('Http');
    this.trust = express.get('trust proxy fn') as (addr: string, i: number) => boolean;
    const etagOf = express.get('etag fn');
    this.etagOf = typeof etagOf === 'function' ? (etagOf as EtagFn) : undefined;
    this.timed = express.get(HTTP_METRICS_SETTING) === true;
  }

  /**
   * Puts the fast path in front of the server's request listeners (Express's): each request is
   * offered to `serve` first and handed on unchanged when it is not answered.
   */
  install(server: Server): void {
    const listeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    if (listeners.length !== 1) throw new Error(`the read edge expects one request listener (Express's), found ${listeners.length}`);
    const express = listeners[0];
    server.removeListener('request', express);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!this.serve(req, res)) express(req, res);
    });
  }

  /** Answers a cache hit and returns true, or returns false having changed nothing (Express then answers it, errors included). */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    const started = process.hrtime.bigint();
    let written: string[];
    let wire: Wire;
    let notModified: boolean;
    try {
      const chosen = this.choose(req, res, started);
      if (!chosen) return false;
      ({ written, wire, notModified } = chosen);
    } catch {
      // Thrown before anything was taken or written: Express's pipeline meets the same failure and answers it.
      return false;
    }
    try {
      res.writeHead(notModified ? 304 : 200, written);
      if (notModified) res.end();
      else res.end(wire.body);
    } catch (e) {
      // Nothing else can be answered once the status line may be out: the connection is dropped.
      res.destroy(e instanceof Error ? e : undefined);
    }
    return true;
  }

  /**
   * The answer to a cache hit, its buckets taken and its access log and timing hooked on the
   * response; undefined, having done nothing, for a request Express is to answer.
   */
  private choose(req: IncomingMessage, res: ServerResponse, started: bigint): { written: string[]; wire: Wire; notModified: boolean } | undefined {
    const headers = req.headers;
    // A body is for Express's parsers and guards to judge (and drain).
    if (headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) return undefined;
    const hit = this.edge.find(req as Request, this.etagOf, true);
    if (!hit) return undefined;
    const gzip = acceptsGzip(headers['accept-encoding']);
    const wires = this.wiresOf(hit.prepared);
    const wire = gzip ? wires.gzip ?? wires.identity : wires.identity;
    // A large body still being compressed: Express's gzip answers this one.
    if (!('body' in wire)) return undefined;
    const { clientId } = hit;
    const { limits, throttle } = this.deps;
    if (!limits.wouldAllow(clientId)) return undefined;
    // As Express's `req.path`, which the routed access log and request id are given: no query string.
    const url = req.url as string;
    const query = url.indexOf('?');
    const path = query >= 0 ? url.slice(0, query) : url;
    const requestId = requestIdFor(headers['x-request-id'], path, this.deps.dialects);
    const notModified = wire.etag !== undefined && headers['if-none-match'] !== undefined && fresh(headers, { etag: wire.etag });
    // Last, the two buckets: the address's (the gate's), then the client's, which was just seen to allow it.
    const ip = callerIpOfRaw(req, this.trust);
    if (!admittedBeforeAuth(throttle, ip, appKeysOf(req as Request) !== undefined)) return undefined;
    const { rate, taken } = limits.take(clientId);
    const written = gzip
      ? [REQUEST_ID_HEADER, requestId, 'Vary', 'Accept-Encoding', RATE_LIMIT_LIMIT_HEADER, String(rate.limit), RATE_LIMIT_REMAINING_HEADER, String(taken.remaining)]
      : [REQUEST_ID_HEADER, requestId, RATE_LIMIT_LIMIT_HEADER, String(rate.limit), RATE_LIMIT_REMAINING_HEADER, String(taken.remaining)];
    const rest = notModified ? wire.notModified : wire.ok;
    for (let i = 0; i < rest.length; i++) written.push(rest[i]);
    (res as PendingResponse)[PENDING] = { log: this.log, requestId, path, started, clientId, template: hit.route.read.template };
    // A response closes and finishes once: plain listeners, without `once`'s wrapper per request.
    res.on('close', onClose);
    if (this.timed) res.on('finish', onFinish);
    return { written, wire, notModified };
  }

  /** The answer's bytes and headers as written, raw and gzipped, built once per prepared answer. */
  private wiresOf(prepared: Prepared): Wires {
    const known = this.wires.get(prepared);
    if (known) return known;
    const body = prepared.body as Buffer;
    const headers = new Map<string, string>(prepared.headers.map(([name, value]) => [name.toLowerCase(), value]));
    const etag = headers.get('etag');
    const flat = (etagAs: string | undefined, length: number, encoding?: string) => {
      const ok: string[] = [];
      const notModified: string[] = [];
      for (const [name, value] of prepared.headers) {
        const isEtag = name.toLowerCase() === 'etag';
        ok.push(name, isEtag && etagAs !== undefined ? etagAs : value);
        // Express's 304 drops the body's headers; the ETag it keeps is the identity one (gzip never ran).
        if (name.toLowerCase() !== 'content-type') notModified.push(name, value);
      }
      ok.push('Content-Length', String(length));
      if (encoding) ok.push('Content-Encoding', encoding);
      return { ok, notModified };
    };
    const identity: Wire = { body: body.toString('utf8'), etag, ...flat(etag, body.length) };
    const wires: Wires = { identity, gzip: null };
    // gzipResponses' rule, asked of the answer's own headers (status 200, nothing else set on it).
    const worthIt = shouldGzip({ statusCode: 200, getHeader: (name: string) => headers.get(name.toLowerCase()) }, body.length);
    if (worthIt) {
      const gzipped = (zipped: Buffer): Wire => {
        const zippedEtag = etag === undefined ? undefined : gzippedEtag(etag);
        return { body: zipped, etag, ...flat(zippedEtag, zipped.length, 'gzip') };
      };
      // When compression fails, gzipResponses answers the identity body (with Vary): so does the fast path.
      try {
        const zipped = gzipBody(body);
        if (Buffer.isBuffer(zipped)) wires.gzip = gzipped(zipped);
        else
          wires.gzip = zipped.then(
            (z) => (wires.gzip = gzipped(z)),
            () => (wires.gzip = null),
          );
      } catch {
        wires.gzip = null;
      }
    }
    this.wires.set(prepared, wires);
    return wires;
  }
}

/** Builds the fast path for an edge and installs it on the server. */
export function installReadEdgeServer(server: Server, edge: ReadEdge, express: ExpressSettings, deps: ReadEdgeServerDeps): ReadEdgeServer {
  const fast = new ReadEdgeServer(edge, express, deps);
  fast.install(server);
  return fast;
}
