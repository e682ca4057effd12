import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { defer, lastValueFrom, map, Observable } from 'rxjs';
import { clientIdOf } from '../http/request-context';
import { IdempotencyService } from './idempotency.service';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** Headers a route sets that belong to its answer, so a replay carries them too. */
const REPLAYED_HEADERS = ['location', 'content-location'] as const;

/** What the interceptor stores under a key: the handler's return value and the headers that go with it. */
export interface StoredEnvelope {
  body: unknown;
  headers: Record<string, string>;
}

const executionIds = new WeakMap<Request, string>();

/**
 * The execution id of a keyed request: stable across retries of one Idempotency-Key, so a route
 * that names its work with it (an operation id) does that work once even when an earlier attempt
 * failed after committing downstream. Undefined when the request carried no key.
 */
export function idempotentExecutionId(req: Request): string | undefined {
  return executionIds.get(req);
}

/**
 * What identifies a request besides its method and path. A parsed body is hashed as JSON; a
 * body the route streams itself (multipart uploads, NDJSON) cannot be read before the decision
 * without buffering it, so it is identified by its media type and declared length. Such uploads
 * are keyed by client + path + type + length: a key must be new for every new file.
 */
export function requestIdentity(req: Request): unknown {
  const query = req.query && Object.keys(req.query).length ? req.query : undefined;
  if (req.readableEnded) return { query, body: req.body as unknown };
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return { query, streamed: { type, length: req.headers['content-length'] ?? null } };
}

/**
 * Stores the first answer under the caller's Idempotency-Key and replays it (with
 * `Idempotent-Replayed: true`) to retries; 422, 409 and 400 come from the shared store as typed
 * errors, so each surface's filter words them its own way. Requests without a key run as before.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.headers[IDEMPOTENCY_KEY_HEADER];
    const clientId = clientIdOf(req);
    // Keys are scoped to a client; a public route has none to scope them to.
    if (typeof key !== 'string' || !clientId) return next.handle();
    const run = () => this.idempotency.run<StoredEnvelope>({ clientId, key, method: req.method, path: req.path, body: requestIdentity(req) }, async (executionId) => {
      executionIds.set(req, executionId);
      const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = res.getHeader(name);
        if (typeof value === 'string') headers[name] = value;
      }
      return { status: res.statusCode, body: { body: body ?? null, headers } };
    });
    return defer(run).pipe(
      map((outcome) => {
        if (outcome.replayed && !res.headersSent) {
          res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
          for (const [name, value] of Object.entries(outcome.body?.headers ?? {})) res.setHeader(name, value);
          res.status(outcome.status);
        }
        return outcome.body?.body ?? undefined;
      }),
    );
  }
}

/**
 * Makes a POST that starts work idempotent under the `Idempotency-Key` header. Needs nothing
 * else from the route: IdempotencyModule is global.
 */
export function Idempotent(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Up to 255 printable ASCII characters; a retry with the same key and body gets the first answer (with Idempotent-Replayed: true) for 24 hours',
    }),
  );
}
