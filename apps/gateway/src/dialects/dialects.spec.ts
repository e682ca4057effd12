import { BadRequestException, NotFoundException } from '@nestjs/common';
import type { Request } from 'express';
import { RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { problemRenderer } from '../../test/support/fake-http';
import { InvalidTokenError, OAuthError } from '../core/errors/gateway-errors';
import { jsonBodyLimitFor } from '../core/http/json-body';
import { ensureRequestId } from '../core/http/request-context';
import { DIALECT_REGISTRY_SETTING, DialectRegistry } from '../core/surfaces/dialect-registry';
import { NATIVE_DIALECT } from './native/orders.module';
import { SalesforceApiError } from './salesforce/errors/salesforce-error';
import { SALESFORCE_DIALECT } from './salesforce/salesforce.module';
import { VOUCHERIFY_REQUEST_ID } from './voucherify/voucherify-errors';
import { voucherifyDialect } from './voucherify/voucherify.module';
import { ZUORA_DIALECT } from './zuora/zuora.module';

const MB = 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The dialects as the gateway registers them, so these cases check the real route tables. */
function registry(): DialectRegistry {
  const dialects = new DialectRegistry();
  for (const d of [NATIVE_DIALECT, SALESFORCE_DIALECT, voucherifyDialect(4096), ZUORA_DIALECT]) dialects.register(d);
  return dialects;
}

describe('the dialects the gateway registers', () => {
  const dialects = registry();

  it('owns disjoint paths: each error shape and id form has one dialect', () => {
    const owner = (path: string) => dialects.forPath(path)?.name;
    expect(owner('/services/data/v60.0/query')).toBe('salesforce');
    expect(owner('/services/data')).toBe('salesforce');
    expect(owner('/v1/vouchers/importCSV')).toBe('voucherify');
    expect(owner('/v1/orders/import')).toBe('voucherify');
    expect(owner('/v1/async/orders')).toBe('zuora');
    expect(owner('/v1/orders/O-00000001')).toBe('zuora');
    for (const path of ['/api/v1/operations', '/api/v1/pending-orders', '/oauth/token', '/services/oauth2/token', '/services/dataX']) expect(owner(path)).toBeUndefined();
  });

  it.each(['/api/v1/carts/c-1/items', '/api/v1/pending-orders', '/api/v1/products', '/v1/vouchers/bulk/async', '/v1/customers/metadata/async', '/v1/vouchers/import', '/v1/campaigns/camp_1/import', '/v1/orders/import'])(
    'gives bulk route %s the large cap',
    (path) => {
      expect(jsonBodyLimitFor(path, { defaultMaxBytes: MB, bulkMaxBytes: 32 * MB }, dialects)).toBe(32 * MB);
    },
  );

  it.each(['/api/v1/operations', '/api/v1/carts/c-1/place', '/services/data/v60.0/query', '/v1/async/orders', '/v1/vouchers/import/extra'])('keeps %s on the small default', (path) => {
    expect(jsonBodyLimitFor(path, { defaultMaxBytes: MB, bulkMaxBytes: 32 * MB }, dialects)).toBe(MB);
  });

  it("caps Voucherify's importCSV uploads, and nothing else", () => {
    for (const path of ['/v1/vouchers/importCSV', '/v1/campaigns/camp_1/importCSV', '/v1/skus/importCSV']) expect(dialects.uploadCapFor(path)).toBe(4096);
    for (const path of ['/v1/vouchers/import', '/api/v1/products']) expect(dialects.uploadCapFor(path)).toBeUndefined();
  });

  it("gives Voucherify routes Voucherify's v-… request ids and every other surface a UUID", () => {
    const app = { get: (name: string) => (name === DIALECT_REGISTRY_SETTING ? dialects : undefined) };
    const idOf = (path: string) => ensureRequestId({ headers: {}, path, app } as unknown as Request);
    expect(idOf('/v1/vouchers/import')).toMatch(VOUCHERIFY_REQUEST_ID);
    expect(idOf('/v1/async-actions/aa_1')).toMatch(/^v-[0-9a-f]{18}$/);
    for (const path of ['/api/v1/operations', '/services/data/v60.0/query', '/v1/async/orders', '/oauth/token']) expect(idOf(path)).toMatch(UUID);
  });

  it("treats Salesforce's token path as a token route, like the core's", () => {
    expect(dialects.isTokenPath('/oauth/token')).toBe(true);
    expect(dialects.isTokenPath('/services/oauth2/token')).toBe(true);
    expect(dialects.isTokenPath('/services/data/v60.0/query')).toBe(false);
  });

  describe('errors under /services/data (Salesforce shape)', () => {
    const { render } = problemRenderer(dialects);
    const path = '/services/data/v60.0/query';

    it.each([
      ['a missing token', new InvalidTokenError('asyncops', 'token is malformed'), 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]],
      ['an unknown route', new NotFoundException(), 404, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]],
      ['a tracker NOT_FOUND', new RpcError(RpcErrorCode.NotFound, 'operation 5 not found'), 404, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]],
      ['a Salesforce error', new SalesforceApiError(400, 'INVALID_FIELD', 'No such column', ['Foo']), 400, [{ message: 'No such column', errorCode: 'INVALID_FIELD', fields: ['Foo'] }]],
    ])('answers %s as [{message, errorCode}]', (_what, exception, status, body) => {
      const { sent, body: parsed } = render(exception, path);
      expect(sent.status).toBe(status);
      expect(sent.type).toBe('application/json');
      expect(parsed).toEqual(body);
    });

    it('hides internal errors behind UNKNOWN_EXCEPTION with the request id', () => {
      const { sent, body } = render(new Error('boom'), path);
      expect(sent.status).toBe(500);
      expect(body[0].errorCode).toBe('UNKNOWN_EXCEPTION');
      expect(body[0].message).not.toContain('boom');
    });

    it('leaves the native API on problem+json', () => {
      const { sent } = render(new InvalidTokenError('asyncops', 'token is malformed'), '/api/v1/operations');
      expect(sent.type).toBe('application/problem+json');
    });

    it('answers any error on the Salesforce token path in the OAuth shape', () => {
      expect(render(new BadRequestException('Unexpected token'), '/services/oauth2/token', 'POST').body.error).toBe('invalid_request');
      expect(render(new OAuthError(401, 'invalid_client', 'no'), '/services/oauth2/token', 'POST').body).toEqual({ error: 'invalid_client', error_description: 'no' });
    });
  });
});
