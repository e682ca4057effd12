import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { JsonLogger } from '@asyncops/platform';
import { GatewayConfig } from '../config';
import { ProblemFilter } from '../errors/problem.filter';
import { createValidationPipe } from '../errors/validation';
import { setupOpenApi } from '../openapi';
import { requestLogging } from './request-logging';

export const JSON_BODY_LIMIT = '32mb';

/**
 * Everything the HTTP edge needs besides the module graph. Shared by main.ts and the in-process
 * HTTP tests so both run the same pipeline.
 */
export function configureHttp(app: INestApplication, config: GatewayConfig, logger: JsonLogger): void {
  const express = app.getHttpAdapter().getInstance() as { disable(setting: string): void };
  express.disable('x-powered-by');
  // Registered before Nest adds its body parsers, so even unparseable requests get an id.
  app.use(requestLogging(logger));
  // Carts take thousands of items per call; the 100 kB default would refuse a realistic one.
  (app as NestExpressApplication).useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter(logger, { retryAfterSeconds: config.RETRY_AFTER_SECONDS }));
  setupOpenApi(app);
}
