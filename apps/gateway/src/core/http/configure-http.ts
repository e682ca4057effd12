import type { INestApplication } from '@nestjs/common';
import type { JsonLogger } from '@asyncops/platform';
import { AuthThrottle } from '../auth/auth-throttle';
import { ClientRateLimit } from '../rate-limit/client-rate-limit';
import { preAuthGate } from '../auth/pre-auth-gate';
import { GatewayConfig } from '../../config';
import { ProblemFilter } from '../errors/problem.filter';
import { createValidationPipe } from '../errors/validation';
import { setupOpenApi } from '../../openapi';
import { DIALECT_REGISTRY_SETTING, DialectRegistry } from '../surfaces/dialect-registry';
import { consoleBuilt, consoleStatic, defaultConsoleDir } from './console-static';
import { gzipResponses } from './gzip-responses';
import { jsonBodyParser } from './json-body';
import { normalisePublicBaseUrl, parseTrustProxy } from './proxy-config';
import { ReadEdge } from './read-edge';
import { installReadEdgeServer } from './read-edge-server';
import { PUBLIC_BASE_URL_SETTING } from './request-context';
import { requestLogging } from './request-logging';
import { nulGuard } from './nul-guard';
import { uploadSizeGuard } from './upload-guard';

/**
 * Everything the HTTP edge needs besides the module graph. Shared by main.ts and the in-process
 * HTTP tests so both run the same pipeline.
 */
export function configureHttp(app: INestApplication, config: GatewayConfig, logger: JsonLogger): void {
  const express = app.getHttpAdapter().getInstance() as { disable(setting: string): void; set(setting: string, value: unknown): void; get(setting: string): unknown };
  express.disable('x-powered-by');
  // X-Forwarded-For/-Proto/-Host count only from the proxies TRUST_PROXY names (README "Security").
  express.set('trust proxy', parseTrustProxy(config.TRUST_PROXY).value);
  express.set(PUBLIC_BASE_URL_SETTING, normalisePublicBaseUrl(config.PUBLIC_BASE_URL));
  // Filled by the dialect modules as they were constructed; the edge below asks it for every dialect-specific answer.
  const dialects = app.get(DialectRegistry);
  express.set(DIALECT_REGISTRY_SETTING, dialects);
  // Registered before Nest adds its body parsers, so even unparseable requests get an id.
  app.use(requestLogging(logger));
  // Addresses that spent their failed-credential budget are refused before anything else is done.
  app.use(preAuthGate(app.get(AuthThrottle, { strict: false }), logger, Date.now, dialects));
  app.use(gzipResponses());
  // The web console's static build at /console (no auth: its API calls carry the Bearer token).
  const consoleDir = defaultConsoleDir();
  if (consoleBuilt(consoleDir)) logger.log({ msg: `web console at http://127.0.0.1:${config.PORT}/console/`, event: 'console-served', dir: consoleDir }, 'Http');
  else logger.warn({ msg: `the web console is not built (${consoleDir}); run "npm run build"`, event: 'console-not-built', dir: consoleDir }, 'Http');
  app.use(consoleStatic(consoleDir));
  app.use(nulGuard());
  // Small by default, large only on the bulk routes dialects declare, and counted after gzip inflation (see json-body.ts).
  app.use(uploadSizeGuard(dialects));
  app.use(jsonBodyParser({ defaultMaxBytes: config.JSON_BODY_MAX_BYTES, bulkMaxBytes: config.BULK_JSON_BODY_MAX_BYTES }, dialects));
  // Last before the router: polled single-record reads the view cache can answer skip Nest's pipeline.
  const edge = app.get(ReadEdge, { strict: false });
  app.use(edge.middleware());
  // And the plainest of them skip Express too, answered on the server's request event with the
  // edge middleware's work done by the same functions (see read-edge-server.ts).
  installReadEdgeServer(app.getHttpServer(), edge, express, {
    logger,
    throttle: app.get(AuthThrottle, { strict: false }),
    limits: app.get(ClientRateLimit, { strict: false }),
    dialects,
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter(logger, { retryAfterSeconds: config.RETRY_AFTER_SECONDS }, dialects));
  setupOpenApi(app);
}
