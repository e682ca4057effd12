import { ConflictError, HttpProtocolError, InternalError, NotFoundError, OAuthError, RouteNotFoundError, ServiceUnavailableError, ValidationFailedError } from '../../../core/errors/gateway-errors';
import { IdempotencyKeyInvalidError, IdempotencyKeyReusedError, IdempotencyRequestInProgressError } from '../../../core/idempotency/idempotency-errors';
import { isZuoraPath, toZuoraError, ZuoraApiError, zuoraErrorBody, ZuoraErrorCode } from './zuora-error';
import { RateLimitExceededError } from '../../../core/rate-limit/rate-limit-errors';
import { CredentialBudgetExceededError } from '../../../core/auth/auth-throttle';

describe('Zuora error mapping', () => {
  it('covers /v1/async/** and /v1/async-jobs/** only', () => {
    for (const p of ['/v1/async/orders', '/v1/async/orders/preview', '/v1/async-jobs/x', '/v1/async', '/v1/async-jobs']) expect(isZuoraPath(p)).toBe(true);
    for (const p of ['/v1/async-actions', '/v1/asyncx', '/api/v1/operations', '/v1/vouchers/import', '/services/data/v60.0/query', '/v1/orders/import', '/v1/orders']) expect(isZuoraPath(p)).toBe(false);
    for (const p of ['/v1/orders/O-00000001', '/v1/subscriptions/A-S00000001']) expect(isZuoraPath(p)).toBe(true);
  });

  it('gives one reason per failed field: 53100021 for an unknown field, 53100020 for an invalid value', () => {
    const e = toZuoraError(
      new ValidationFailedError([
        { field: 'orderDate', rule: 'matches', message: 'orderDate must be a date as yyyy-mm-dd' },
        { field: 'bogus', rule: 'whitelistValidation', message: 'bogus is not a known field; remove it' },
        { field: 'subscriptions.0.orderActions', rule: 'arrayMinSize', message: 'must contain at least 1 elements' },
      ]),
    );
    expect(e.status).toBe(400);
    expect(e.reasons).toEqual([
      { code: 53100020, message: 'orderDate must be a date as yyyy-mm-dd' },
      { code: 53100021, message: 'bogus is not a known field; remove it' },
      { code: 53100020, message: 'subscriptions.0.orderActions: must contain at least 1 elements' },
    ]);
  });

  it.each([
    [new IdempotencyKeyInvalidError('is too long'), 400, ZuoraErrorCode.InvalidHeader],
    [new IdempotencyKeyReusedError(), 422, ZuoraErrorCode.RuleRestriction],
    [new IdempotencyRequestInProgressError(2), 409, ZuoraErrorCode.InProgress],
    [new RateLimitExceededError(10, 3), 429, ZuoraErrorCode.LimitExceeded],
    [new HttpProtocolError(415, 'unsupported content encoding "compress"'), 415, ZuoraErrorCode.Unsupported],
    [new HttpProtocolError(413, 'request entity too large'), 413, ZuoraErrorCode.InvalidValue],
    [new NotFoundError(), 404, ZuoraErrorCode.NotFound],
    [new RouteNotFoundError('GET', '/v1/async/nope'), 404, ZuoraErrorCode.NotFound],
    [new ConflictError('already'), 409, ZuoraErrorCode.InProgress],
    [new InternalError(new Error('boom')), 500, ZuoraErrorCode.Internal],
    [new ServiceUnavailableError(3), 503, ZuoraErrorCode.Internal],
  ])('%s → %i with code %i', (error, status, code) => {
    const z = toZuoraError(error);
    expect(z.status).toBe(status);
    expect(z.reasons).toHaveLength(1);
    expect(z.reasons[0].code).toBe(code);
    expect(String(z.reasons[0].code)).toHaveLength(8);
  });

  it('keeps Retry-After and never leaks an internal message', () => {
    const z = toZuoraError(new ServiceUnavailableError(7, new Error('ECONNREFUSED 10.0.0.1')));
    expect(z.headers['Retry-After']).toBe('7');
    expect(JSON.stringify(z.reasons)).not.toContain('ECONNREFUSED');
    expect(JSON.stringify(toZuoraError(new InternalError(new Error('secret stack'))).reasons)).not.toContain('secret');
  });

  it('maps an authentication failure to 50000011 and keeps WWW-Authenticate', () => {
    const z = toZuoraError(new OAuthError(401, 'invalid_client', 'client authentication failed', { 'WWW-Authenticate': 'Bearer' }));
    expect(z).toMatchObject({ status: 401, reasons: [{ code: 50000011, message: 'client authentication failed' }], headers: { 'WWW-Authenticate': 'Bearer' } });
  });

  it('builds the wire body', () => {
    const body = zuoraErrorBody(new ZuoraApiError(404, [{ code: 50000040, message: 'No job' }]), 'req-1');
    expect(body).toEqual({ success: false, processId: 'req-1', reasons: [{ code: 50000040, message: 'No job' }] });
  });

  it("words the core's 429 refusals with their Retry-After", () => {
    expect(toZuoraError(new RateLimitExceededError(100, 3))).toMatchObject({ status: 429, headers: { 'Retry-After': '3' } });
    expect(toZuoraError(new CredentialBudgetExceededError(7))).toMatchObject({ status: 429, headers: { 'Retry-After': '7' } });
  });
});
