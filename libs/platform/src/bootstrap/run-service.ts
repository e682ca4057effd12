import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BaseConfig } from '../config/base-config';
import { ConfigError } from '../config/load-config';
import { JsonLogger, LogLevel, writeStdoutLinesDirectly } from '../logging/json-logger';
import { initMetrics, useHttpMetrics } from '../metrics/metrics';
import { assertPostgresReachable, assertRabbitReachable, DependencyUnreachableError } from './preflight';

export interface ServiceDefinition<C extends BaseConfig> {
  name: string;
  /** Builds the root module from validated config, so modules never read process.env. */
  module: (config: C, logger: JsonLogger) => Type<unknown> | import('@nestjs/common').DynamicModule;
  loadConfig: () => C;
  /** Applies the service's pending migrations; returns the names it ran. */
  migrate?: (config: C) => Promise<string[]>;
  /** Runs after the app is created and before it listens (hybrid transports, docs, pipes). */
  configure?: (app: INestApplication, config: C, logger: JsonLogger) => Promise<void> | void;
}

/**
 * The one way every app starts: validate config, check the broker and the database answer,
 * start Nest with JSON logs, listen, and shut down gracefully on SIGINT/SIGTERM.
 */
export async function runService<C extends BaseConfig>(def: ServiceDefinition<C>): Promise<INestApplication | undefined> {
  let logger = new JsonLogger(def.name);
  keepAliveOnUnhandledRejection(() => logger);
  try {
    const config = def.loadConfig();
    logger = new JsonLogger(def.name, config.LOG_LEVEL as LogLevel);
    await assertPostgresReachable(config.DATABASE_URL);
    await assertRabbitReachable(config.AMQP_URL);
    if (def.migrate) {
      const ran = await def.migrate(config);
      if (ran.length) logger.log({ msg: 'migrations applied', migrations: ran, event: 'migrated' }, 'Bootstrap');
    }
    const app = await NestFactory.create(def.module(config, logger) as Type<unknown>, { logger, bufferLogs: false });
    app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
    // Nest ends a signalled shutdown by re-raising the signal: no `exit` listener runs then, so log lines go out at once from the signal on.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, writeStdoutLinesDirectly);
    exitAfterShutdownDeadline(config.SHUTDOWN_TIMEOUT_MS, () => logger);
    // Prometheus metrics on every app: timing of every request, and GET /metrics mounted on the
    // HTTP adapter outside Nest's routing (like health, it needs no token).
    initMetrics(def.name);
    useHttpMetrics(app);
    await def.configure?.(app, config, logger);
    await app.listen(config.PORT, process.env.HOST ?? '0.0.0.0');
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logger.log({ msg: `${def.name} listening on http://127.0.0.1:${port}`, event: 'listening', port }, 'Bootstrap');
    return app;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof DependencyUnreachableError) {
      logger.error({ msg: e.message, code: e.code, event: 'startup-failed' }, 'Bootstrap');
    } else {
      logger.error(e as Error, 'Bootstrap');
    }
    // Start-up failures are final: the line above says why; exit without a second stack trace.
    process.exit(1);
  }
}

let rejectionHandlerInstalled = false;

/**
 * A promise nobody awaited failing (a late timeout, a dependency's callback) is logged as one
 * JSON line and the process carries on: one stray rejection must not take every request and
 * in-flight message of the process down with it.
 */
export function keepAliveOnUnhandledRejection(logger: () => JsonLogger): void {
  if (rejectionHandlerInstalled) return;
  rejectionHandlerInstalled = true;
  process.on('unhandledRejection', (reason) => {
    const err = reason instanceof Error ? { name: reason.name, message: reason.message, stack: reason.stack } : { message: String(reason) };
    logger().error({ msg: 'unhandled promise rejection (process kept running)', event: 'unhandled-rejection', err }, 'Process');
  });
}

/**
 * Graceful shutdown (Nest's hooks on SIGINT/SIGTERM) gets `timeoutMs`; a hook that hangs on a
 * dead dependency then no longer keeps the process alive: it logs and exits with code 1.
 */
export function exitAfterShutdownDeadline(timeoutMs: number, logger: () => JsonLogger): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        logger().error({ msg: `shutdown did not finish within ${timeoutMs} ms; exiting`, event: 'shutdown-timeout', signal }, 'Process');
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
