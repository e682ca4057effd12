import { BadRequestException, NotFoundException } from '@nestjs/common';
import { RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { fakeHttp, problemRenderer } from '../../../test/support/fake-http';
import { DialectRegistry, ErrorShape } from '../surfaces/dialect-registry';
import { GatewayError, InvalidTokenError, OAuthError, ValidationFailedError } from './gateway-errors';

class ShapedError extends Error {}

/** A made-up dialect: `{said}` bodies, its own errors answered as they are, OAuth errors left to the core. */
const shape: ErrorShape = {
  own: (e) => (e instanceof ShapedError ? { status: 418, body: { said: e.message }, code: 'OWN' } : undefined),
  render: (error) => (error instanceof GatewayError ? { status: error.status, body: { said: error.code }, headers: { 'X-Shaped': '1' }, code: error.code } : undefined),
};

describe('ProblemFilter', () => {
  const dialects = new DialectRegistry();
  dialects.register({ name: 'shaped', paths: (p) => p.startsWith('/shaped/'), errorShape: shape, tokenPaths: ['/shaped-token'] });
  const { filter, lines, render } = problemRenderer(dialects);

  beforeEach(() => {
    lines.length = 0;
  });

  it('renders a validation error as problem+json with every field and rule', () => {
    const { sent, body } = render(
      new ValidationFailedError([
        { field: 'jobType', rule: 'isIn', message: 'jobType must be one of ...' },
        { field: 'limit', rule: 'max', message: 'limit must not be greater than 200' },
      ]),
      '/api/v1/operations',
      'GET',
      { 'x-request-id': 'abc-123' },
    );
    expect(sent.status).toBe(400);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.headers['x-request-id']).toBe('abc-123');
    expect(body).toEqual({
      type: 'urn:asyncops:problem:validation-failed',
      title: 'Request validation failed',
      status: 400,
      detail: 'Fields jobType, limit are invalid.',
      instance: '/api/v1/operations',
      code: 'VALIDATION_FAILED',
      requestId: 'abc-123',
      errors: [
        { field: 'jobType', rule: 'isIn', message: 'jobType must be one of ...' },
        { field: 'limit', rule: 'max', message: 'limit must not be greater than 200' },
      ],
    });
  });

  it('sets the headers a typed error carries', () => {
    const { sent } = render(new InvalidTokenError('asyncops', 'token has expired'));
    expect(sent.status).toBe(401);
    expect(sent.headers['www-authenticate']).toBe('Bearer realm="asyncops", error="invalid_token", error_description="token has expired"');
  });

  it.each([
    [RpcErrorCode.NotFound, 404, 'NOT_FOUND'],
    [RpcErrorCode.Invalid, 400, 'BAD_REQUEST'],
    [RpcErrorCode.Conflict, 409, 'CONFLICT'],
    [RpcErrorCode.Timeout, 504, 'UPSTREAM_TIMEOUT'],
    [RpcErrorCode.Internal, 500, 'INTERNAL'],
  ])('maps RpcError %s to %i', (code, status, problemCode) => {
    const { sent, body } = render(new RpcError(code, 'tracker says so'));
    expect(sent.status).toBe(status);
    expect(body.code).toBe(problemCode);
  });

  it('passes the tracker message through for client errors only', () => {
    expect(render(new RpcError(RpcErrorCode.Invalid, 'cursor is not valid')).body.detail).toBe('cursor is not valid');
    expect(render(new RpcError(RpcErrorCode.Internal, 'relation "x" does not exist')).body.detail).not.toContain('relation');
  });

  it('adds Retry-After to a timeout', () => {
    expect(render(new RpcError(RpcErrorCode.Timeout, 'slow')).sent.headers['retry-after']).toBe('3');
  });

  it('answers 500 for anything unexpected, without a stack, and logs the stack with the request id', () => {
    const { sent, body } = render(new TypeError('cannot read x of undefined'), '/api/v1/operations', 'GET', { 'x-request-id': 'r-500' });
    expect(sent.status).toBe(500);
    expect(body.code).toBe('INTERNAL');
    expect(sent.body).not.toContain('cannot read');
    expect(sent.body).not.toContain('    at ');
    const logged = lines.find((l) => l.event === 'request-failed');
    expect(logged).toMatchObject({ requestId: 'r-500', status: 500 });
    expect((logged?.err as { stack: string }).stack).toContain('TypeError: cannot read x of undefined');
  });

  it('answers an unknown route with a 404 problem', () => {
    const { sent, body } = render(new NotFoundException('Cannot GET /nowhere'), '/nowhere');
    expect(sent.status).toBe(404);
    expect(body).toMatchObject({ code: 'ROUTE_NOT_FOUND', detail: 'There is no route GET /nowhere.' });
  });

  it('names the body when Express could not parse it', () => {
    const { sent, body } = render(new BadRequestException('Unexpected end of JSON input'), '/api/v1/operations', 'POST');
    expect(sent.status).toBe(400);
    expect(body.code).toBe('MALFORMED_BODY');
    expect(body.errors).toEqual([{ field: 'body', rule: 'parse', message: 'Unexpected end of JSON input' }]);
  });

  it('keeps the status of body-parser errors that are safe to show', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, expose: true });
    const { sent, body } = render(tooLarge, '/api/v1/operations', 'POST');
    expect(sent.status).toBe(413);
    expect(body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: 'request entity too large' });
  });

  it('renders OAuth errors in the OAuth shape', () => {
    const { sent, body } = render(new OAuthError(400, 'invalid_client', 'invalid client credentials'), '/oauth/token', 'POST');
    expect(sent.status).toBe(400);
    expect(sent.headers['cache-control']).toBe('no-store');
    expect(body).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
  });

  it('uses the OAuth shape for any error on a token route', () => {
    expect(render(new BadRequestException('Unexpected token'), '/shaped-token', 'POST').body.error).toBe('invalid_request');
    expect(render(new Error('boom'), '/oauth/token', 'POST').body).toEqual({
      error: 'server_error',
      error_description: 'the token could not be issued because of an internal error',
    });
  });

  it('cuts the connection when the response has already started', () => {
    const { sent, host, res } = fakeHttp();
    (res as { headersSent: boolean }).headersSent = true;
    filter.catch(new Error('late'), host);
    expect(sent.destroyed).toBe(true);
    expect(sent.body).toBeUndefined();
  });

  describe('on the paths a dialect registered', () => {
    it("answers a gateway error in the dialect's shape, with the headers it chose", () => {
      const { sent, body } = render(new NotFoundException(), '/shaped/nowhere');
      expect(sent.status).toBe(404);
      expect(sent.type).toBe('application/json');
      expect(sent.headers['x-shaped']).toBe('1');
      expect(body).toEqual({ said: 'ROUTE_NOT_FOUND' });
    });

    it("answers the dialect's own errors as they are, and logs them as rejections", () => {
      const { sent, body } = render(new ShapedError('teapot'), '/shaped/x');
      expect(sent.status).toBe(418);
      expect(body).toEqual({ said: 'teapot' });
      expect(lines.find((l) => l.event === 'request-rejected')).toMatchObject({ status: 418, code: 'OWN' });
    });

    it('leaves what the dialect does not word to the core: OAuth errors stay OAuth', () => {
      const { body } = render(new OAuthError(401, 'invalid_client', 'no'), '/shaped/x');
      expect(body).toEqual({ error: 'invalid_client', error_description: 'no' });
    });

    it('keeps every other path on problem+json, and a dialect error elsewhere is an internal error', () => {
      expect(render(new InvalidTokenError('asyncops', 'token is malformed'), '/api/v1/operations').sent.type).toBe('application/problem+json');
      expect(render(new ShapedError('teapot'), '/api/v1/operations').sent.status).toBe(500);
    });

    it('gives a filter scoped to the dialect its shape whatever the path', () => {
      const scoped = problemRenderer(dialects, shape);
      expect(scoped.render(new ShapedError('teapot'), '/api/v1/somewhere').body).toEqual({ said: 'teapot' });
    });

    it('cuts the connection instead of answering when the response has already started', () => {
      const { sent, host, res } = fakeHttp('/shaped/x');
      (res as { headersSent: boolean }).headersSent = true;
      filter.catch(new ShapedError('late'), host);
      expect(sent.destroyed).toBe(true);
      expect(sent.body).toBeUndefined();
    });
  });
});
