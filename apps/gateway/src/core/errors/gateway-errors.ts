/** One entry per failed rule, so a client can point at the exact field. */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

export const PROBLEM_TYPE_PREFIX = 'urn:asyncops:problem:';

interface GatewayErrorInit {
  code: string;
  status: number;
  title: string;
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * Every error the gateway answers with on purpose. `code` is stable and documented; clients may
 * branch on it (or on `type`, which is derived from it), never on `title` or `detail`.
 */
export class GatewayError extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly errors?: FieldError[];
  readonly headers: Record<string, string>;

  constructor(init: GatewayErrorInit) {
    super(init.detail, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.status = init.status;
    this.title = init.title;
    this.errors = init.errors;
    this.headers = init.headers ?? {};
  }

  get type(): string {
    return PROBLEM_TYPE_PREFIX + this.code.toLowerCase().replace(/_/g, '-');
  }
}

export class ValidationFailedError extends GatewayError {
  constructor(errors: FieldError[]) {
    const fields = [...new Set(errors.map((e) => e.field))];
    super({
      code: 'VALIDATION_FAILED',
      status: 400,
      title: 'Request validation failed',
      detail: `${fields.length === 1 ? 'Field' : 'Fields'} ${fields.join(', ')} ${fields.length === 1 ? 'is' : 'are'} invalid.`,
      errors,
    });
  }
}

export class MalformedBodyError extends GatewayError {
  constructor(reason: string) {
    super({
      code: 'MALFORMED_BODY',
      status: 400,
      title: 'Malformed request body',
      detail: `The request body could not be parsed: ${reason}`,
      errors: [{ field: 'body', rule: 'parse', message: reason }],
    });
  }
}

export class BadRequestError extends GatewayError {
  constructor(detail: string) {
    super({ code: 'BAD_REQUEST', status: 400, title: 'Bad request', detail });
  }
}

/** RFC 6750 §3: no `error` attribute when the request carried no credentials at all. */
export class AuthenticationRequiredError extends GatewayError {
  constructor(realm: string) {
    super({
      code: 'AUTHENTICATION_REQUIRED',
      status: 401,
      title: 'Authentication required',
      detail: 'Send an access token as "Authorization: Bearer <token>"; get one from POST /oauth/token.',
      headers: { 'WWW-Authenticate': `Bearer realm="${realm}"` },
    });
  }
}

export class InvalidTokenError extends GatewayError {
  constructor(realm: string, reason: string) {
    super({
      code: 'INVALID_TOKEN',
      status: 401,
      title: 'Invalid access token',
      detail: `The access token is not valid: ${reason}.`,
      headers: { 'WWW-Authenticate': `Bearer realm="${realm}", error="invalid_token", error_description="${reason.replace(/["\\]/g, '')}"` },
    });
  }
}

export class NotFoundError extends GatewayError {
  constructor(detail = 'The requested resource does not exist.') {
    super({ code: 'NOT_FOUND', status: 404, title: 'Not found', detail });
  }
}

/** Also used for ids that are not UUIDs: such an id names nothing, so it is simply not found. */
export class OperationNotFoundError extends NotFoundError {
  constructor() {
    super('No operation with this id exists for the authenticated client.');
  }
}

export class RouteNotFoundError extends GatewayError {
  constructor(method: string, path: string) {
    super({ code: 'ROUTE_NOT_FOUND', status: 404, title: 'Route not found', detail: `There is no route ${method} ${path}.` });
  }
}

export class ConflictError extends GatewayError {
  constructor(detail: string) {
    super({ code: 'CONFLICT', status: 409, title: 'Conflict', detail });
  }
}

export class UpstreamTimeoutError extends GatewayError {
  constructor(retryAfterSeconds: number) {
    super({
      code: 'UPSTREAM_TIMEOUT',
      status: 504,
      title: 'Upstream timeout',
      detail: 'A backing service did not answer in time; the request may be retried.',
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

export class ServiceUnavailableError extends GatewayError {
  constructor(retryAfterSeconds: number, cause?: unknown) {
    super({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
      title: 'Service unavailable',
      detail: 'A backing service cannot be reached right now; the request may be retried.',
      headers: { 'Retry-After': String(retryAfterSeconds) },
      cause,
    });
  }
}

/** The body (after decompression) is larger than the route accepts; reading stopped at the cap, or never began. */
export class PayloadTooLargeError extends GatewayError {
  constructor(maxBytes: number) {
    super({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
      title: 'Payload too large',
      detail: `The request body exceeds ${maxBytes} bytes, the limit of this route (a gzip body is measured after decompression).`,
      errors: [{ field: 'body', rule: 'maxBytes', message: `body must be at most ${maxBytes} bytes` }],
    });
  }
}

/** Only gzip is inflated; anything else would reach the parser as garbage or hide a bomb. */
export class UnsupportedContentEncodingError extends GatewayError {
  constructor(encoding: string) {
    super({
      code: 'UNSUPPORTED_CONTENT_ENCODING',
      status: 415,
      title: 'Unsupported media type',
      // No field errors: surfaces that map field errors to "invalid value" (Zuora) must see a 415.
      detail: `Content-Encoding "${encoding.replace(/[^\x20-\x7e]/g, '?').slice(0, 40)}" is not supported; send identity or gzip.`,
    });
  }
}

/** A client error reported by the HTTP layer itself (body too large, unsupported charset...). */
export class HttpProtocolError extends GatewayError {
  constructor(status: number, detail: string) {
    super({ code: HTTP_CODES[status] ?? `HTTP_${status}`, status, title: HTTP_TITLES[status] ?? 'Bad request', detail });
  }
}

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  411: 'LENGTH_REQUIRED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};
const HTTP_TITLES: Record<number, string> = {
  405: 'Method not allowed',
  406: 'Not acceptable',
  411: 'Length required',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  429: 'Too many requests',
};

export class InternalError extends GatewayError {
  constructor(cause?: unknown) {
    super({
      code: 'INTERNAL',
      status: 500,
      title: 'Internal server error',
      detail: 'The request could not be completed because of an internal error. Quote the requestId when reporting it.',
      cause,
    });
  }
}

/**
 * Token endpoint errors keep the OAuth 2.0 shape (RFC 6749 §5.2), which Salesforce also uses,
 * because OAuth client libraries parse exactly `{error, error_description}`.
 */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401 | 429 | 500 | 503,
    readonly error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'server_error' | 'temporarily_unavailable',
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}
