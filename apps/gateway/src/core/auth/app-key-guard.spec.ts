import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { InvalidTokenError } from '../errors/gateway-errors';
import { clientIdOf } from '../http/request-context';
import { BearerAuthGuard } from './auth.guard';
import { ClientRegistry } from './client-registry';
import { hashSecret } from './secret-hash';
import { TokenService } from './token.service';

function contextFor(headers: Record<string, string>): { ctx: ExecutionContext; req: Request } {
  const req = { headers } as unknown as Request;
  const ctx = {
    getHandler: () => () => undefined,
    getClass: () => Object,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { ctx, req };
}

describe('BearerAuthGuard with X-App-Id / X-App-Token (Voucherify)', () => {
  let guard: BearerAuthGuard;

  beforeAll(async () => {
    const clients = new ClientRegistry([{ clientId: 'shop', name: 'Shop', secretHash: await hashSecret('shop-secret') }]);
    guard = new BearerAuthGuard(new Reflector(), new TokenService('k'.repeat(32), 60), clients);
  });

  it('authenticates the client whose id and secret they are', async () => {
    const { ctx, req } = contextFor({ 'x-app-id': 'shop', 'x-app-token': 'shop-secret' });
    await expect(guard.canActivate(ctx)).resolves.toBe(true);
    expect(clientIdOf(req)).toBe('shop');
  });

  it.each([
    [{ 'x-app-id': 'shop', 'x-app-token': 'wrong' }, /invalid/],
    [{ 'x-app-id': 'shop' }, /must both be given/],
    [{ 'x-app-token': 'shop-secret' }, /must both be given/],
    [{ 'x-app-id': 'nobody', 'x-app-token': 'shop-secret' }, /invalid/],
  ])('refuses %p with 401', async (headers, reason) => {
    const { ctx } = contextFor(headers as Record<string, string>);
    const error = await Promise.resolve()
      .then(() => guard.canActivate(ctx))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as Error).message).toMatch(reason);
  });
});
