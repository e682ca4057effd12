import { Logger } from '@nestjs/common';
import { RpcErrorCode } from '@asyncops/contracts';
import { classifyFailure } from '../amqp/failure-policy';
import { RpcError } from './rpc-client';

export interface ServiceErrorOptions {
  /** Structured facts about the error (e.g. the items it is about), carried in the RPC reply. */
  details?: Record<string, unknown>;
  cause?: unknown;
  /**
   * Whether the RPC reply's message starts with the code (`CODE: message`, the default). Replies
   * whose callers show the message as it is (the tracker's) leave the code out.
   */
  codeInReply?: boolean;
}

/**
 * Every error a service raises on purpose. `code` is stable and documented: it ends up in records
 * (an order's error_code, the tracker's errors[].key) and in RPC error replies, and clients branch
 * on it; `rpcCode` is how a request/reply caller learns of it.
 */
export class ServiceError extends Error {
  readonly details?: Record<string, unknown>;
  private readonly codeInReply: boolean;

  constructor(
    readonly code: string,
    readonly rpcCode: RpcErrorCode,
    message: string,
    options: ServiceErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details;
    this.codeInReply = options.codeInReply ?? true;
  }

  toRpcError(): RpcError {
    return new RpcError(this.rpcCode, this.codeInReply ? `${this.code}: ${this.message}` : this.message, this.details);
  }
}

/** Where answering() reports an unexpected failure. */
export interface AnsweringLog {
  error(entry: Record<string, unknown>): void;
}

export interface AnsweringOptions {
  /** Errors of these classes are the caller's input failing a check: an INVALID_REQUEST reply with their message. */
  invalid?: ReadonlyArray<abstract new (...args: never[]) => Error>;
  /** Defaults to the service's logger (Nest's, which the services route to their JSON log). */
  log?: AnsweringLog;
}

const defaultLog = new Logger('Rpc');

/**
 * Runs an RPC handler so that its deliberate errors reach the caller as typed error replies:
 * ServiceErrors with their RPC code, validation failures (`options.invalid`) as INVALID_REQUEST.
 * Anything else is unexpected: it is logged as internal and rethrown, so the transport retries it
 * (transient) or dead-letters it and answers INTERNAL once it gives up.
 */
export async function answering<T>(work: () => Promise<T>, options: AnsweringOptions = {}): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw asRpcError(e, options);
  }
}

/** The RPC error a handler's failure is answered with, or the failure itself when it is unexpected. */
export function asRpcError(e: unknown, options: AnsweringOptions = {}): unknown {
  if (e instanceof RpcError) return e;
  if (e instanceof ServiceError) return e.toRpcError();
  if (e instanceof Error && options.invalid?.some((cls) => e instanceof cls)) return new RpcError(RpcErrorCode.Invalid, e.message);
  // Transient failures (a lost database session...) are retried by the transport and are no bug.
  if (classifyFailure(e) !== 'transient') {
    const err = e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : { message: String(e) };
    (options.log ?? defaultLog).error({ msg: 'rpc handler failed', event: 'rpc-internal-error', code: RpcErrorCode.Internal, err });
  }
  return e;
}

/** A paging cursor the API never issued (forged, truncated, or from another list). */
export class InvalidCursorError extends ServiceError {
  constructor() {
    super('INVALID_CURSOR', RpcErrorCode.Invalid, 'cursor: is not a cursor this API returned', { codeInReply: false });
  }
}
