import { Global, Injectable, Module } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { OperationView } from '@asyncops/contracts';
import { isTerminalStatus } from '@asyncops/domain';
import { AmqpConnection } from '@asyncops/messaging';
import { AppKeyVerifier } from '../auth/app-key-verifier';
import { appKeysOf, checkAppKeyShape, checkBearer } from '../auth/auth.guard';
import { AuthModule } from '../auth/auth.module';
import { ClientRegistry } from '../auth/client-registry';
import { TokenService } from '../auth/token.service';
import { ClientRateLimit, setRateLimitHeaders } from '../rate-limit/client-rate-limit';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { TrackerClient } from '../tracker/tracker-client';
import { TrackerModule } from '../tracker/tracker.module';
import { jsonBytes, sendJson } from './prepared-json';
import { setClientId } from './request-context';

/** A single-record read's 200 answer, computed from the operation view alone. */
export interface EdgeAnswer {
  /** Sent as JSON, as the routed handler's return value would be. */
  body: unknown;
  headers?: Readonly<Record<string, string>>;
}

/**
 * A GET route that reads one operation and answers from its view alone, registered by the dialect
 * that owns the route. The edge answers it only when it can answer exactly as the routed handler
 * would; everything else (another form of the path, a query string, a view the route would refuse)
 * goes on to the router.
 */
export interface EdgeRead {
  /** The route's template as the router names it (`/api/v1/operations/:id`): the metrics label. */
  template: string;
  /** The operation id of a path in this route's canonical form; undefined for any other path. */
  operationIdOf(path: string): string | undefined;
  /**
   * The route long-polls with `?wait=N` and answers a finished operation at once, exactly as
   * without it: the edge then answers `?wait=N` (that one parameter, digits only) for a cached
   * finished view, and leaves an unfinished one to the route, which waits.
   */
  waits?: boolean;
  /** Whether the edge may answer this request; false leaves it to the router (e.g. a header only the route's own middleware checks). */
  accepts?(req: Request): boolean;
  /**
   * What else of the request the answer depends on (Voucherify's report link names the origin the
   * client used), as a string; the answer is then computed for each variant. None by default.
   */
  variantOf?(req: Request): string;
  /** The answer for the owner's view; undefined when the routed handler would not answer 200 with it. Must depend on the view and the variant only. */
  answer(view: OperationView, variant: string): EdgeAnswer | undefined;
  /**
   * Writes the 200 answer the way the routed handler writes it, for routes that do not answer
   * through Express's `res.send` (their own gzip, no ETag). By default the body is sent as JSON
   * with the ETag Express would give it.
   */
  send?(req: Request, res: Response, answer: EdgeAnswer): void | Promise<void>;
}

/**
 * A GET route answered by asking the service that owns its data (SOQL pages), registered by the
 * dialect that owns the route. Like an EdgeRead, the edge takes only requests it can answer
 * exactly as the routed handler would; unlike one, the answer needs a call, so what fails after
 * the edge has taken the request (a refused or timed-out call) is answered by the route's own
 * exception filter (`fail`).
 */
export interface EdgeCall {
  /** Whether the path is one of this route's canonical forms; checked before anything else. */
  matches(path: string): boolean;
  /**
   * The route's template as the router names it (the metrics label) and the work that answers the
   * request, or undefined to leave it to the router (a refusal the route words itself: a bad API
   * version, a malformed query). Synchronous and free of effects: nothing is asked of anyone yet.
   */
  start(req: Request, clientId: string): { template: string; run(): Promise<unknown> } | undefined;
  /** Answers what `run` threw, as the route's exception filter does. */
  fail(error: unknown, req: Request, res: Response): void;
}

/** Express's compiled `etag fn` setting. */
export type EtagFn = (body: Buffer, encoding?: string) => string | undefined;

/** A request the edge can answer: its route, its client and the prepared answer. */
export interface EdgeHit {
  route: Route;
  clientId: string;
  prepared: Prepared;
}

/** An answer prepared once per cached view (and variant). */
export interface Prepared {
  variant: string;
  answer: EdgeAnswer;
  /** The JSON bytes, when the edge writes the answer itself. */
  body?: Buffer;
  headers: ReadonlyArray<readonly [string, string]>;
}

export interface Route {
  read: EdgeRead;
  /** What the router leaves on the request as `req.route`, so metrics label the edge's answers the same way. */
  routeInfo: { path: string };
  /**
   * Bodies and ETags by view: a cached view is immutable, so each is serialised and hashed once
   * (per variant: only the last one is kept, a polling client keeps asking the same way).
   */
  prepared: WeakMap<OperationView, Prepared | { variant: string; none: true }>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The one query string an EdgeRead that `waits` is answered with: the route's own `wait` (a non-negative integer). */
const WAIT_QUERY = /^\?wait=\d{1,9}$/;

/**
 * The hot single-record status reads, answered before Nest's routing when the gateway's view
 * cache holds the answer: a polling client's read costs a token lookup, a cache lookup and a
 * socket write instead of the router, guards, pipes and interceptors (about two thirds of a read's
 * time in a profile). It runs after the edge middleware (request id and access log, metrics,
 * per-address gate, gzip, NUL guard), so those apply unchanged, and it reuses the routed path's
 * own pieces for the rest: the guard's Bearer and X-App key checks, the client's rate-limit
 * bucket and the tracker client's cache rule (a view is served only to its owner). Express's `res.send` writes the
 * answer, so conditional requests (If-None-Match → 304) and HEAD behave as on the routed path.
 *
 * Anything it cannot answer completely goes on to the router untouched: another method, a query
 * string (unknown parameters; `?wait=` unless the route `waits` and the view is finished), a request the route declines (`accepts`), an
 * X-App-Id/X-App-Token pair the guard's verifier does not remember verifying (checking one costs a
 * derivation, the guard's to make and throttle), a missing or refused token, a blocked broker, a
 * cache miss or someone else's operation, a view the route would not answer 200 with, an empty bucket. The routed
 * path then answers (and words the error) as it always did, and no request counts twice against
 * the rate limit: the edge takes from the bucket only when it answers.
 *
 * Routes that need a call to answer (`EdgeCall`: SOQL pages) pass the same checks, then the
 * edge takes from the bucket, makes the call and writes its answer as Nest would; a call that fails
 * from then on is answered by the route's own exception filter, never by the router.
 *
 * The plainest routes (see `find`) are also answered before Express, by ReadEdgeServer
 * (read-edge-server.ts), from the same prepared answers; this middleware then serves what that
 * fast path leaves to Express.
 */
@Injectable()
export class ReadEdge {
  private readonly routes: Route[] = [];
  private readonly calls: EdgeCall[] = [];
  private readonly callRoutes = new Map<string, { path: string }>();

  constructor(
    private readonly tokens: TokenService,
    private readonly clients: ClientRegistry,
    private readonly appKeys: AppKeyVerifier,
    private readonly limits: ClientRateLimit,
    private readonly tracker: TrackerClient,
    private readonly connection: AmqpConnection,
  ) {}

  register(read: EdgeRead): void {
    if (this.routes.some((r) => r.read.template === read.template)) throw new Error(`the read edge already serves ${read.template}`);
    this.routes.push({ read, routeInfo: { path: read.template }, prepared: new WeakMap() });
  }

  /** A route answered by a call (SOQL pages); tried before the single-record reads. */
  registerCall(call: EdgeCall): void {
    this.calls.push(call);
  }

  /** The Express middleware; installed after the edge middleware and before the router. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (!this.serve(req, res)) next();
    };
  }

  /** Answers the request and returns true, or returns false having changed nothing. */
  serve(req: Request, res: Response): boolean {
    if (req.method !== 'GET') return false;
    if (this.calls.length && this.serveCall(req, res)) return true;
    const etagOf = req.app?.get('etag fn') as EtagFn | undefined;
    const hit = this.find(req, typeof etagOf === 'function' ? etagOf : undefined, false);
    if (!hit) return false;
    const { route, clientId, prepared } = hit;
    const { rate, taken } = this.limits.take(clientId);
    // Refused: the routed path finds the bucket still empty and answers 429 in the route's shape.
    if (!taken.allowed) return false;
    setClientId(req, clientId);
    (req as { route?: unknown }).route = route.routeInfo;
    setRateLimitHeaders(res, rate, taken);
    res.statusCode = 200;
    for (const [name, value] of prepared.headers) res.setHeader(name, value);
    const send = route.read.send;
    if (!send) {
      res.send(prepared.body);
      return true;
    }
    try {
      // A writer that fails after the status line is chosen cannot be answered otherwise: the connection is dropped.
      const sent = send(req, res, prepared.answer);
      if (sent) sent.catch((e: unknown) => res.destroy(e instanceof Error ? e : undefined));
    } catch (e) {
      res.destroy(e instanceof Error ? e : undefined);
    }
    return true;
  }

  /**
   * A registered call's route: the same checks as a single-record read (the guard's credentials,
   * a blocked broker, the client's bucket), then the call; its answer is written as Nest writes a
   * handler's return value (`res.json`: Express's ETag and the gzip middleware apply alike).
   */
  private serveCall(req: Request, res: Response): boolean {
    const path = req.path;
    const call = this.calls.find((c) => c.matches(path));
    if (!call) return false;
    let started: { template: string; run(): Promise<unknown> } | undefined;
    let clientId: string;
    try {
      const found = this.clientOf(req);
      if (!found) return false;
      clientId = found;
      if (this.connection.blocked !== undefined) return false;
      started = call.start(req, clientId);
    } catch {
      return false;
    }
    if (!started) return false;
    const { rate, taken } = this.limits.take(clientId);
    if (!taken.allowed) return false;
    setClientId(req, clientId);
    let routeInfo = this.callRoutes.get(started.template);
    if (!routeInfo) this.callRoutes.set(started.template, (routeInfo = { path: started.template }));
    (req as { route?: unknown }).route = routeInfo;
    setRateLimitHeaders(res, rate, taken);
    let answer: Promise<unknown>;
    try {
      answer = started.run();
    } catch (e) {
      answer = Promise.reject(e);
    }
    answer
      .then(
        // A kept answer (a cached SOQL page) is written from its prepared bytes; anything else as res.json.
        (body) => sendJson(res, body),
        (e: unknown) => call.fail(e, req, res),
      )
      .catch((e: unknown) => res.destroy(e instanceof Error ? e : undefined));
    return true;
  }

  /**
   * The cached answer to this request and the client it is for, found without side effects (no
   * bucket is touched), or undefined to leave the request to the router. `raw`: the request has not
   * been through Express (the fast path, see read-edge-server.ts): only routes whose answer depends
   * on the path, the credentials and the view alone are served then (no `accepts`, `variantOf` or
   * `send`: those read Express's request or write through Express's response).
   */
  find(req: Request, etagOf: EtagFn | undefined, raw: boolean): EdgeHit | undefined {
    if (req.method !== 'GET' || !this.routes.length) return undefined;
    let url = req.url;
    const query = url.indexOf('?');
    const waiting = query >= 0;
    if (waiting) {
      if (!WAIT_QUERY.test(url.slice(query))) return undefined;
      url = url.slice(0, query);
    }
    let route: Route | undefined;
    let operationId: string | undefined;
    for (const r of this.routes) {
      operationId = r.read.operationIdOf(url);
      if (operationId) {
        route = r;
        break;
      }
    }
    if (!route || !operationId || (waiting && !route.read.waits)) return undefined;
    if (raw && (route.read.accepts || route.read.variantOf || route.read.send)) return undefined;
    if (route.read.accepts && !route.read.accepts(req)) return undefined;
    try {
      const clientId = this.clientOf(req);
      if (!clientId) return undefined;
      // A blocked broker refuses every route that needs it, cache hit or not (BrokerBlockInterceptor).
      if (this.connection.blocked !== undefined) return undefined;
      const view = this.tracker.cachedOperation(clientId, operationId);
      // An unfinished operation is the long-poll's to wait for.
      if (!view || (waiting && !isTerminalStatus(view.status))) return undefined;
      const prepared = this.prepare(route, view, req, etagOf);
      return prepared ? { route, clientId, prepared } : undefined;
    } catch {
      // Whatever failed is the routed path's to answer and word.
      return undefined;
    }
  }

  /**
   * The client the guard would let in, by the guard's own checks, or undefined for anything the
   * guard is left to judge: no credentials, refused ones, X-App keys not verified before.
   */
  private clientOf(req: Request): string | undefined {
    const appKeys = appKeysOf(req);
    if (appKeys) {
      const shaped = checkAppKeyShape(appKeys.appId, appKeys.appToken);
      if ('error' in shaped) return undefined;
      return this.appKeys.cached(shaped.appId, shaped.appToken) ?? undefined;
    }
    const authorization = req.headers.authorization;
    if (!authorization) return undefined;
    const outcome = checkBearer(authorization, this.tokens, this.clients);
    return 'error' in outcome ? undefined : outcome.clientId;
  }

  private prepare(route: Route, view: OperationView, req: Request, etagOf: EtagFn | undefined): Prepared | undefined {
    const variant = route.read.variantOf ? route.read.variantOf(req) : '';
    const known = route.prepared.get(view);
    if (known !== undefined && known.variant === variant) return 'none' in known ? undefined : known;
    const answer = route.read.answer(view, variant);
    let prepared: Prepared | null = null;
    if (answer && route.read.send) {
      prepared = { variant, answer, headers: Object.entries(answer.headers ?? {}) };
    } else if (answer) {
      // The bytes and the ETag Express would compute for them, computed once: `res.send` keeps a preset one.
      const { bytes: body, etag } = jsonBytes(answer.body, etagOf);
      const headers: Array<[string, string]> = [['Content-Type', JSON_TYPE], ...Object.entries(answer.headers ?? {})];
      if (etag) headers.push(['ETag', etag]);
      prepared = { variant, answer, body, headers };
    }
    route.prepared.set(view, prepared ?? { variant, none: true });
    return prepared ?? undefined;
  }
}

/** Global, so a dialect module registers its reads without importing anything. */
@Global()
@Module({
  imports: [AuthModule, RateLimitModule, TrackerModule],
  providers: [ReadEdge],
  exports: [ReadEdge],
})
export class ReadEdgeModule {}
