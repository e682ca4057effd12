import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { firstValueFrom, of } from 'rxjs';
import type { AmqpConnection } from '@asyncops/messaging';
import { PUBLIC_ROUTE } from '@asyncops/platform';
import { GatewayConfig } from '../../config';
import { ServiceUnavailableError } from '../errors/gateway-errors';
import { DialectRegistry } from '../surfaces/dialect-registry';
import { BrokerBlockInterceptor } from './broker-block.interceptor';

function context(path: string, handler: () => void = () => undefined): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => ({ path }) }),
  } as unknown as ExecutionContext;
}

describe('BrokerBlockInterceptor', () => {
  const config = Object.assign(new GatewayConfig(), { RETRY_AFTER_SECONDS: 3 });
  const next = { handle: () => of('answered') };
  const dialects = new DialectRegistry();
  dialects.register({ name: 'other-login', tokenPaths: ['/other/token'] });
  const make = (blocked: string | undefined) => new BrokerBlockInterceptor({ blocked } as unknown as AmqpConnection, new Reflector(), config, dialects);

  it('lets every request through while the broker accepts publishes', async () => {
    await expect(firstValueFrom(make(undefined).intercept(context('/api/v1/operations'), next))).resolves.toBe('answered');
  });

  it('refuses routes that need the broker with 503 and Retry-After while it blocks publishers', () => {
    let thrown: unknown;
    try {
      make('low on memory').intercept(context('/api/v1/operations'), next);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ServiceUnavailableError);
    expect(thrown).toMatchObject({ status: 503, headers: { 'Retry-After': '3' } });
  });

  it("keeps answering public routes (health, docs) and the token endpoints, a dialect's included", async () => {
    const health = () => undefined;
    Reflect.defineMetadata(PUBLIC_ROUTE, true, health);
    await expect(firstValueFrom(make('low on memory').intercept(context('/health/ready', health), next))).resolves.toBe('answered');
    await expect(firstValueFrom(make('low on memory').intercept(context('/oauth/token'), next))).resolves.toBe('answered');
    await expect(firstValueFrom(make('low on memory').intercept(context('/other/token'), next))).resolves.toBe('answered');
  });
});
