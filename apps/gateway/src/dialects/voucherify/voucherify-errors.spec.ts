import { CredentialBudgetExceededError } from '../../core/auth/auth-throttle';
import { NotFoundError, ValidationFailedError } from '../../core/errors/gateway-errors';
import { RateLimitExceededError } from '../../core/rate-limit/rate-limit-errors';
import { isVoucherifyPath, toVoucherifyError, UploadTooLargeError } from './voucherify-errors';

describe('Voucherify errors', () => {
  it.each(['/v1/async-actions', '/v1/async-actions/aa_1', '/v1/vouchers/importCSV', '/v1/campaigns/x/importCSV', '/v1/orders/import', '/v1/skus/importCSV', '/v1/metadata-schemas/customer/definitions/tier/purge'])(
    '%s speaks Voucherify',
    (p) => expect(isVoucherifyPath(p)).toBe(true),
  );

  it.each(['/v1/async-jobs/1', '/v1/async/orders', '/api/v1/operations', '/v1/orders', '/v1/async-actionsX', '/services/data/v60.0/query'])('%s keeps its own shape', (p) =>
    expect(isVoucherifyPath(p)).toBe(false),
  );

  it('names the field and rule of a validation failure in details', () => {
    const body = toVoucherifyError(new ValidationFailedError([{ field: 'limit', rule: 'max', message: 'limit must not be greater than 100' }]), 'req-1');
    expect(body).toEqual({ code: 400, key: 'invalid_payload', message: 'Invalid payload', details: 'limit: limit must not be greater than 100', request_id: 'req-1' });
  });

  it('maps 404 and 413', () => {
    expect(toVoucherifyError(new NotFoundError('Cannot find async_action with id aa_1'), 'r')).toMatchObject({ code: 404, key: 'not_found', details: 'Cannot find async_action with id aa_1' });
    expect(toVoucherifyError(new UploadTooLargeError(10), 'r')).toMatchObject({ code: 413, key: 'payload_too_large' });
  });

  it("words the core's 429 refusals (rate limit, spent credential budget)", () => {
    expect(toVoucherifyError(new RateLimitExceededError(100, 3), 'v-1')).toMatchObject({ code: 429, key: 'too_many_requests', request_id: 'v-1' });
    expect(toVoucherifyError(new CredentialBudgetExceededError(7), 'v-1')).toMatchObject({ code: 429, key: 'too_many_requests' });
  });
});
