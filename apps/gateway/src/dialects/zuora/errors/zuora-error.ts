import type { FieldError, GatewayError, OAuthError } from '../../../core/errors/gateway-errors';
import type { ErrorAnswer, ErrorShape } from '../../../core/surfaces/dialect-registry';

/** Every gateway route that answers errors in Zuora's shape instead of problem+json. */
export function isZuoraPath(path: string): boolean {
  return (
    path === '/v1/async' ||
    path.startsWith('/v1/async/') ||
    path === '/v1/async-jobs' ||
    path.startsWith('/v1/async-jobs/') ||
    path.startsWith('/v1/subscriptions/') ||
    // Zuora's orders; `/v1/orders/import` is Voucherify's.
    (path.startsWith('/v1/orders/') && !/^\/v1\/orders\/import\/?$/.test(path))
  );
}

/**
 * Zuora's 8-digit error codes as this gateway uses them: a 5-digit resource (50000 any, 53100
 * orders) and a 2-digit category (Zuora's: 11 authentication, 20 invalid value, 21 unknown
 * field, 30 rule restriction, 40 not found, 45 unsupported request, 50 locking contention, 60
 * internal). Stable: clients branch on them. Documented in README ("Zuora error codes").
 */
export const ZuoraErrorCode = {
  InvalidHeader: 50000020,
  AuthenticationFailed: 50000011,
  NotFound: 50000040,
  RuleRestriction: 50000030,
  Unsupported: 50000045,
  InProgress: 50000050,
  Internal: 50000060,
  LimitExceeded: 50000070,
  InvalidValue: 53100020,
  UnknownField: 53100021,
} as const;

export interface ZuoraReason {
  code: number;
  message: string;
}

export interface ZuoraErrorBody {
  success: false;
  processId: string;
  reasons: ZuoraReason[];
}

/** An error a Zuora route raises itself, already in Zuora's words. */
export class ZuoraApiError extends Error {
  constructor(
    readonly status: number,
    readonly reasons: ZuoraReason[],
    readonly headers: Record<string, string> = {},
  ) {
    super(reasons.map((r) => r.message).join('; '));
    this.name = 'ZuoraApiError';
  }
}

const BY_GATEWAY_CODE: Readonly<Record<string, number>> = {
  IDEMPOTENCY_KEY_INVALID: ZuoraErrorCode.InvalidHeader,
  IDEMPOTENCY_KEY_REUSED: ZuoraErrorCode.RuleRestriction,
  IDEMPOTENCY_REQUEST_IN_PROGRESS: ZuoraErrorCode.InProgress,
  UNSUPPORTED_MEDIA_TYPE: ZuoraErrorCode.Unsupported,
  PAYLOAD_TOO_LARGE: ZuoraErrorCode.InvalidValue,
  METHOD_NOT_ALLOWED: ZuoraErrorCode.Unsupported,
};

function byStatus(status: number): number {
  if (status === 401 || status === 403) return ZuoraErrorCode.AuthenticationFailed;
  if (status === 404) return ZuoraErrorCode.NotFound;
  if (status === 409) return ZuoraErrorCode.InProgress;
  if (status === 415) return ZuoraErrorCode.Unsupported;
  if (status === 422) return ZuoraErrorCode.RuleRestriction;
  if (status === 429) return ZuoraErrorCode.LimitExceeded;
  if (status >= 500) return ZuoraErrorCode.Internal;
  return ZuoraErrorCode.InvalidValue;
}

function fieldReason(e: FieldError): ZuoraReason {
  return { code: e.rule === 'whitelistValidation' ? ZuoraErrorCode.UnknownField : ZuoraErrorCode.InvalidValue, message: e.message.startsWith(e.field) ? e.message : `${e.field}: ${e.message}` };
}

/** A gateway error (typed, or OAuth from the auth guard) in Zuora's shape, status kept. */
export function toZuoraError(error: GatewayError | OAuthError): ZuoraApiError {
  if (error instanceof ZuoraApiError) return error;
  if ('description' in error) {
    return new ZuoraApiError(error.status, [{ code: error.status === 401 ? ZuoraErrorCode.AuthenticationFailed : byStatus(error.status), message: error.description }], error.headers);
  }
  const headers = { ...error.headers };
  if (error.errors?.length) return new ZuoraApiError(error.status, error.errors.map(fieldReason), headers);
  const code = BY_GATEWAY_CODE[error.code] ?? byStatus(error.status);
  return new ZuoraApiError(error.status, [{ code, message: error.message }], headers);
}

export function zuoraErrorBody(error: ZuoraApiError, processId: string): ZuoraErrorBody {
  return { success: false, processId, reasons: error.reasons };
}

function zuoraAnswer(error: ZuoraApiError, processId: string): ErrorAnswer {
  return { status: error.status, body: zuoraErrorBody(error, processId), headers: error.headers, code: String(error.reasons[0]?.code) };
}

/** Zuora's `{success:false, processId, reasons:[{code, message}]}`, token errors of the auth guard included. */
export const zuoraErrorShape: ErrorShape = {
  own: (exception, requestId) => (exception instanceof ZuoraApiError ? zuoraAnswer(exception, requestId) : undefined),
  render: (error, requestId) => zuoraAnswer(toZuoraError(error), requestId),
};
