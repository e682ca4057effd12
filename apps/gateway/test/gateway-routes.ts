import 'reflect-metadata';
import { EventEmitter } from 'node:events';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AmqpConnection, AmqpHealthIndicator, RpcClient } from '@asyncops/messaging';
import { JsonLogger, loadConfig } from '@asyncops/platform';
import { AppModule } from '../src/app.module';
import { GatewayConfig } from '../src/config';

/**
 * Every route of the gateway as `METHOD /path/:param`, read from the router of the application
 * itself (built without a broker), so suites that must cover every route see a new one at once.
 */
export async function gatewayRoutes(): Promise<string[]> {
  class Offline extends EventEmitter {
    isConnected(): boolean {
      return false;
    }
  }
  @Module({})
  class NoBroker {}
  const messaging: DynamicModule = {
    module: NoBroker,
    global: true,
    providers: [{ provide: RpcClient, useValue: {} }, { provide: AmqpConnection, useValue: new Offline() }, AmqpHealthIndicator],
    exports: [RpcClient, AmqpConnection, AmqpHealthIndicator],
  };
  const config = loadConfig('gateway', GatewayConfig, { NODE_ENV: 'test' });
  const app = await NestFactory.create(AppModule.forRoot(config, new JsonLogger('gateway', 'error', () => undefined), { messaging }), { logger: false });
  try {
    await app.init();
    const router = (app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } }).router;
    return [
      ...new Set(
        router.stack.flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route?.path.replace(/\/$/, '')}`) : [])),
      ),
    ];
  } finally {
    await app.close();
  }
}
