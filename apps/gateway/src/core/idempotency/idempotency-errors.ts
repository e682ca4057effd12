import { GatewayError } from '../errors/gateway-errors';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export class IdempotencyKeyInvalidError extends GatewayError {
  constructor(reason: string) {
    super({ code: 'IDEMPOTENCY_KEY_INVALID', status: 400, title: 'Invalid idempotency key', detail: `The idempotency key ${reason}.` });
  }
}

/** The key was used before for a different request: replaying the old answer would be a lie. */
export class IdempotencyKeyReusedError extends GatewayError {
  constructor() {
    super({
      code: 'IDEMPOTENCY_KEY_REUSED',
      status: 422,
      title: 'Idempotency key reused',
      detail: 'This idempotency key was already used for a request with a different body or route; use a new key for a new request.',
    });
  }
}

/** The first request with this key has not finished; its answer is not known yet. */
export class IdempotencyRequestInProgressError extends GatewayError {
  constructor(retryAfterSeconds: number) {
    super({
      code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS',
      status: 409,
      title: 'Request in progress',
      detail: 'A request with this idempotency key is still being processed; retry later to get its response.',
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}
