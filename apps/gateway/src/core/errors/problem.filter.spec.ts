import { ArgumentsHost, BadRequestException, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { JsonLogger } from '@asyncops/platform';
import { InvalidTokenError, OAuthError, ValidationFailedError } from './gateway-errors';
import { ProblemFilter } from './problem.filter';
import { SalesforceApiError } from '../../dialects/salesforce/errors/salesforce-error';

interface Sent {
  status?: number;
  type?: string;
  body?: string;
  headers: Record<string, string>;
  destroyed?: boolean;
}

function fakeHttp(path = '/api/v1/operations/x', method = 'GET', headers: Record<string, string> = {}) {
  const sent: Sent = { headers: {} };
  const req = { path, method, originalUrl: `${path}?a=1`, headers } as unknown as Request;
  const res = {
    headersSent: false,
    setHeader: (k: string, v: string) => (sent.headers[k.toLowerCase()] = v),
    getHeader: (k: string) => sent.headers[k.toLowerCase()],
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(t: string) {
      sent.type = t;
      return this;
    },
    send(b: string) {
      sent.body = b;
      return this;
    },
    json(b: unknown) {
      sent.type = 'application/json';
      sent.body = JSON.stringify(b);
      return this;
    },
    destroy: () => (sent.destroyed = true),
  } as unknown as Response;
  const host = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost;
  return { sent, host, res };
}

describe('ProblemFilter', () => {
  const lines: Array<Record<string, unknown>> = [];
  const filter = new ProblemFilter(new JsonLogger('gateway', 'debug', (l) => lines.push(JSON.parse(l))), { retryAfterSeconds: 3 });

  beforeEach(() => {
    lines.length = 0;
  });

  function render(exception: unknown, path?: string, method?: string, headers?: Record<string, string>) {
    const { sent, host } = fakeHttp(path, method, headers);
    filter.catch(exception, host);
    return { sent, body: sent.body ? JSON.parse(sent.body) : undefined };
  }

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
    expect(render(new BadRequestException('Unexpected token'), '/services/oauth2/token', 'POST').body.error).toBe('invalid_request');
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

  describe('under /services/data (Salesforce shape)', () => {
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
  });
});
