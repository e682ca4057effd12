import 'reflect-metadata';
import { EventEmitter } from 'node:events';
import { DynamicModule, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AmqpConnection, AmqpHealthIndicator, RpcClient } from '@asyncops/messaging';
import { JsonLogger, loadConfig, LogLevel } from '@asyncops/platform';
import { AppModule } from '../../src/app.module';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, GatewayConfig } from '../../src/config';
import { configureHttp } from '../../src/core/http/configure-http';

/** Stands in for the broker connection: never connected, so nothing tries to reach RabbitMQ. */
export class OfflineConnection extends EventEmitter {
  isConnected(): boolean {
    return false;
  }
}

@Module({})
class FakeMessagingModule {}

export interface InProcessGatewayOptions {
  /** Answers every RPC the gateway makes (usually `{ request: jest.fn() }`). */
  rpc: object;
  logLevel?: LogLevel;
  /** Receives each log line; by default they are dropped. */
  logSink?: (line: string) => void;
  /** Settings beyond NODE_ENV and LOG_LEVEL. */
  env?: Record<string, string>;
  /** Runs before the app starts listening (and so before its lifecycle hooks), e.g. to swap a provider's methods. */
  beforeListen?: (app: INestApplication) => void;
}

export interface InProcessGateway {
  app: INestApplication;
  /** `http://127.0.0.1:<port>`, the port chosen by the system. */
  base: string;
}

/** The whole gateway app in this process, with the real HTTP set-up and the broker replaced by `rpc`. */
export async function startInProcessGateway(options: InProcessGatewayOptions): Promise<InProcessGateway> {
  const level = options.logLevel ?? 'error';
  const config = loadConfig('gateway', GatewayConfig, { NODE_ENV: 'test', LOG_LEVEL: level, ...options.env });
  const logger = new JsonLogger('gateway', level, options.logSink ?? (() => undefined));
  const messaging: DynamicModule = {
    module: FakeMessagingModule,
    global: true,
    providers: [{ provide: RpcClient, useValue: options.rpc }, { provide: AmqpConnection, useValue: new OfflineConnection() }, AmqpHealthIndicator],
    exports: [RpcClient, AmqpConnection, AmqpHealthIndicator],
  };
  const app = await NestFactory.create(AppModule.forRoot(config, logger, { messaging }), { logger });
  options.beforeListen?.(app);
  configureHttp(app, config, logger);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, base: `http://127.0.0.1:${port}` };
}

/** A fresh access token of the development client, from the gateway's own token endpoint. */
export async function devAccessToken(base: string): Promise<string> {
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEV_CLIENT_ID, client_secret: DEV_CLIENT_SECRET }),
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
