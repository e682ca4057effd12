import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, Injectable, NotFoundException, Type, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { ContextLogger, JsonLogger } from '@asyncops/platform';
import { GatewayConfig } from '../../config';
import { ensureRequestId } from '../http/request-context';
import { DialectRegistry, ErrorAnswer, ErrorShape } from '../surfaces/dialect-registry';
import {
  BadRequestError,
  ConflictError,
  GatewayError,
  HttpProtocolError,
  InternalError,
  MalformedBodyError,
  NotFoundError,
  OAuthError,
  RouteNotFoundError,
  UpstreamTimeoutError,
} from './gateway-errors';
import { Problem, PROBLEM_CONTENT_TYPE } from './problem';


export interface ProblemFilterOptions {
  retryAfterSeconds: number;
}

/**
 * The single place where exceptions become HTTP answers, so every error of every route has the
 * same shape, carries the request id, and never leaks a stack trace or an internal message.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly log: ContextLogger;

  constructor(
    logger: JsonLogger,
    private readonly options: ProblemFilterOptions,
    private readonly dialects: DialectRegistry = new DialectRegistry(),
    /** The shape of the dialect whose controllers this filter is scoped to; unset, the shape follows the path. */
    private readonly scopedShape?: ErrorShape,
  ) {
    this.log = logger.child('ProblemFilter');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const requestId = ensureRequestId(req, res);
    const shape = this.scopedShape ?? this.dialects.forPath(req.path)?.errorShape;
    const own = shape?.own?.(exception, requestId);
    if (own) {
      this.log.debug({ requestId, method: req.method, path: req.path, status: own.status, code: own.code, msg: 'request rejected', event: 'request-rejected' });
      if (res.headersSent) res.destroy();
      else sendAnswer(res, own);
      return;
    }
    const error = this.classify(exception, req);
    this.report(exception, error, req, requestId);

    if (res.headersSent) {
      // Nothing can be said any more; cut the response so the client sees it failed.
      res.destroy();
      return;
    }
    const answer = shape?.render(error, requestId);
    if (answer) {
      sendAnswer(res, answer);
    } else if (error instanceof OAuthError) {
      this.sendOAuth(res, error);
    } else if (req.method === 'POST' && this.dialects.isTokenPath(req.path)) {
      this.sendOAuth(res, toOAuthError(error));
    } else {
      this.sendProblem(res, error, req, requestId);
    }
  }

  /** Maps anything thrown to one of the gateway's typed errors (or an OAuth error). */
  classify(exception: unknown, req: Request): GatewayError | OAuthError {
    if (exception instanceof GatewayError || exception instanceof OAuthError) return exception;
    if (exception instanceof RpcError) return this.fromRpc(exception);
    if (exception instanceof HttpException) return fromHttpException(exception, req);
    if (isExposedHttpError(exception)) return new HttpProtocolError(exception.status, exception.message);
    return new InternalError(exception);
  }

  private fromRpc(e: RpcError): GatewayError {
    switch (e.code) {
      case RpcErrorCode.NotFound:
        return new NotFoundError();
      case RpcErrorCode.Invalid:
        return new BadRequestError(e.message);
      case RpcErrorCode.Conflict:
        return new ConflictError(e.message);
      case RpcErrorCode.Timeout:
        return new UpstreamTimeoutError(this.options.retryAfterSeconds);
      default:
        return new InternalError(e);
    }
  }

  private report(exception: unknown, error: GatewayError | OAuthError, req: Request, requestId: string): void {
    const base = { requestId, method: req.method, path: req.path, status: error.status, code: codeOf(error) };
    if (error.status < 500) {
      this.log.debug({ ...base, msg: 'request rejected', event: 'request-rejected' });
      return;
    }
    const cause = error instanceof GatewayError && error.cause !== undefined ? error.cause : exception;
    if (error.status === 500) {
      const err = cause instanceof Error ? { name: cause.name, message: cause.message, stack: cause.stack } : { message: String(cause) };
      this.log.error({ ...base, msg: 'request failed', event: 'request-failed', err });
    } else {
      // Timeouts and outages are operational, not bugs: the cause is worth a line, not a stack.
      this.log.warn({ ...base, msg: 'request failed', event: 'request-failed', error: cause instanceof Error ? cause.message : String(cause) });
    }
  }

  private sendProblem(res: Response, error: GatewayError, req: Request, requestId: string): void {
    const body: Problem = {
      type: error.type,
      title: error.title,
      status: error.status,
      detail: error.message,
      instance: req.originalUrl.split('?')[0],
      code: error.code,
      requestId,
    };
    if (error.errors?.length) body.errors = error.errors;
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    res.status(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private sendOAuth(res: Response, error: OAuthError): void {
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    res.status(error.status).json({ error: error.error, error_description: error.description });
  }
}

function codeOf(error: GatewayError | OAuthError): string {
  return error instanceof OAuthError ? error.error : error.code;
}

/**
 * The gateway itself only throws typed errors, so a Nest HttpException comes from the framework:
 * a route that does not exist, or a request body / path Express could not decode.
 */
function fromHttpException(e: HttpException, req: Request): GatewayError {
  if (e instanceof NotFoundException) return new RouteNotFoundError(req.method, req.path);
  if (e instanceof BadRequestException) {
    return /^Failed to decode param/.test(e.message) ? new BadRequestError('The request path is not correctly percent-encoded.') : new MalformedBodyError(e.message);
  }
  const status = e.getStatus();
  return status >= 500 ? new InternalError(e) : new HttpProtocolError(status, e.message);
}

/** Errors from Express's body parsers (http-errors) that are safe to show: 413, 415, bad encodings. */
function isExposedHttpError(e: unknown): e is { status: number; message: string } {
  if (!e || typeof e !== 'object') return false;
  const { status, expose, message } = e as { status?: unknown; expose?: unknown; message?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true && typeof message === 'string';
}

function toOAuthError(error: GatewayError): OAuthError {
  if (error.status >= 500) {
    return error.status === 500
      ? new OAuthError(500, 'server_error', 'the token could not be issued because of an internal error')
      : new OAuthError(503, 'temporarily_unavailable', 'the token service is temporarily unavailable', retryAfterOnly(error.headers));
  }
  return new OAuthError(400, 'invalid_request', error.message);
}

function retryAfterOnly(headers: Record<string, string>): Record<string, string> {
  return headers['Retry-After'] === undefined ? {} : { 'Retry-After': headers['Retry-After'] };
}

function sendAnswer(res: Response, answer: ErrorAnswer): void {
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  res.status(answer.status).json(answer.body);
}

/**
 * The problem filter scoped to one dialect's controllers: whatever their paths, their errors take
 * that dialect's shape. A dialect module applies it with `answerErrorsIn`.
 */
export function dialectProblemFilter(shape: ErrorShape): Type<ExceptionFilter> {
  @Catch()
  @Injectable()
  class DialectProblemFilter extends ProblemFilter {
    constructor(logger: JsonLogger, config: GatewayConfig, dialects: DialectRegistry) {
      super(logger, { retryAfterSeconds: config.RETRY_AFTER_SECONDS }, dialects, shape);
    }
  }
  return DialectProblemFilter;
}

/** Scopes a dialect's error shape to its controllers, as `@UseFilters` on each of them would. */
export function answerErrorsIn(shape: ErrorShape, controllers: ReadonlyArray<Type<unknown>>): void {
  const filter = dialectProblemFilter(shape);
  for (const controller of controllers) UseFilters(filter)(controller);
}
