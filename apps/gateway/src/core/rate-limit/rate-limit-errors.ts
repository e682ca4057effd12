import { GatewayError, OAuthError } from '../errors/gateway-errors';

/** Salesforce's name for the same refusal, so its clients' retry logic recognises it. */
export class RateLimitExceededError extends GatewayError {
  constructor(limit: number, retryAfterSeconds: number) {
    super({
      code: 'REQUEST_LIMIT_EXCEEDED',
      status: 429,
      title: 'Too many requests',
      detail: `The rate limit of ${limit} requests for this client is used up; retry after ${retryAfterSeconds} seconds.`,
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

/** The token endpoints answer in the OAuth shape ({error, error_description}) with its own status. */
export class TokenRequestRateLimitedError extends OAuthError {
  constructor(limit: number, retryAfterSeconds: number) {
    super(
      429,
      'temporarily_unavailable',
      `more than ${limit} token requests from this address; retry after ${retryAfterSeconds} seconds`,
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}
