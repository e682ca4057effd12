import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { PUBLIC_ROUTE } from '@asyncops/platform';
import { AuthenticationRequiredError, InvalidTokenError } from '../errors/gateway-errors';
import { clientIdOf } from '../http/request-context';
import { BearerAuthGuard } from './auth.guard';
import { ClientRegistry } from './client-registry';
import { TokenService } from './token.service';

const SECRET = 's'.repeat(32);

class Handlers {
  open(): void {
    return undefined;
  }
  closed(): void {
    return undefined;
  }
}
Reflect.defineMetadata(PUBLIC_ROUTE, true, Handlers.prototype.open);

function contextFor(handler: () => void, headers: Record<string, string> = {}): { ctx: ExecutionContext; req: Request } {
  const req = { headers } as unknown as Request;
  const ctx = {
    getHandler: () => handler,
    getClass: () => Handlers,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { ctx, req };
}

describe('BearerAuthGuard', () => {
  let now: number;
  let tokens: TokenService;
  let guard: BearerAuthGuard;

  beforeEach(() => {
    now = Date.UTC(2030, 0, 1);
    tokens = new TokenService(SECRET, 60, () => now);
    const registry = new ClientRegistry([]);
    jest.spyOn(registry, 'find').mockImplementation((id) => (id === 'shop' ? { clientId: 'shop', name: 'Shop' } : undefined));
    guard = new BearerAuthGuard(new Reflector(), tokens, registry);
  });

  function rejection(headers: Record<string, string>): Error {
    try {
      guard.canActivate(contextFor(Handlers.prototype.closed, headers).ctx);
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected the guard to refuse');
  }

  it('lets public routes through without a token', () => {
    expect(guard.canActivate(contextFor(Handlers.prototype.open).ctx)).toBe(true);
  });

  it('challenges a request without credentials, with no error attribute', () => {
    const e = rejection({});
    expect(e).toBeInstanceOf(AuthenticationRequiredError);
    expect((e as AuthenticationRequiredError).headers['WWW-Authenticate']).toBe('Bearer realm="asyncops"');
    expect((e as AuthenticationRequiredError).status).toBe(401);
  });

  it('treats another scheme as no credentials', () => {
    expect(rejection({ authorization: 'Basic Zm9vOmJhcg==' })).toBeInstanceOf(AuthenticationRequiredError);
  });

  it('refuses a bad token with invalid_token', () => {
    const e = rejection({ authorization: 'Bearer not-a-token' }) as InvalidTokenError;
    expect(e).toBeInstanceOf(InvalidTokenError);
    expect(e.headers['WWW-Authenticate']).toBe('Bearer realm="asyncops", error="invalid_token", error_description="token is malformed"');
  });

  it('refuses an empty bearer value', () => {
    expect(rejection({ authorization: 'Bearer ' })).toBeInstanceOf(InvalidTokenError);
  });

  it('refuses an expired token', () => {
    const { accessToken } = tokens.issue('shop');
    now += 61_000;
    const e = rejection({ authorization: `Bearer ${accessToken}` }) as InvalidTokenError;
    expect(e.headers['WWW-Authenticate']).toContain('error_description="token has expired"');
  });

  it('refuses a token of a client that is no longer registered', () => {
    const { accessToken } = tokens.issue('removed');
    expect(rejection({ authorization: `Bearer ${accessToken}` }).message).toMatch(/no longer registered/);
  });

  it('accepts a valid token and records the client on the request', () => {
    const { accessToken } = tokens.issue('shop');
    const { ctx, req } = contextFor(Handlers.prototype.closed, { authorization: `bearer ${accessToken}` });
    expect(guard.canActivate(ctx)).toBe(true);
    expect(clientIdOf(req)).toBe('shop');
  });
});
