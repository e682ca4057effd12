import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/openapi.json';

/** The public surfaces of the gateway, told apart by path; the first that matches wins. */
export const SURFACES: ReadonlyArray<{ name: string; matches: (path: string) => boolean; description: string }> = [
  { name: 'auth', matches: (p) => p === '/oauth/token' || p === '/services/oauth2/token', description: 'OAuth 2.0 client credentials (native and Salesforce style)' },
  { name: 'monitoring', matches: (p) => p.startsWith('/health/') || p === '/metrics', description: 'Liveness, readiness and Prometheus metrics; no token needed' },
  { name: 'native', matches: (p) => p.startsWith('/api/'), description: 'The native API: operations, carts and orders, live events, webhooks' },
  { name: 'salesforce', matches: (p) => p.startsWith('/services/data'), description: 'Salesforce REST: AsyncOperationTracker, PendingOrderSummary, SOQL, Revenue Cloud place actions (jsforce)' },
  { name: 'zuora', matches: (p) => p.startsWith('/v1/async/') || p.startsWith('/v1/async-jobs'), description: 'Zuora asynchronous orders and jobs' },
  { name: 'voucherify', matches: (p) => p.startsWith('/v1/'), description: 'Voucherify async actions and their starters (@voucherify/sdk)' },
];

export function surfaceOf(path: string): string {
  return SURFACES.find((s) => s.matches(path))?.name ?? 'native';
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * The gateway's OpenAPI document, every surface in one: built from the decorators on routes and
 * DTOs, then each operation is tagged with its surface (`salesforce`, `voucherify`, `zuora`,
 * `native: operations`, ...) and `x-tagGroups` groups the tags by surface.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('AsyncOps gateway')
    .setDescription(
      'Follow long-running asynchronous operations through any of the gateway\'s surfaces: the native API (create, get with ?wait= long-poll, ' +
        'list with filters and cursor paging, cancel, per-item failures, live events, webhooks), Salesforce REST, Voucherify and Zuora. ' +
        'Get a bearer token with POST /oauth/token (OAuth 2.0 client credentials). Native errors are RFC 9457 application/problem+json ' +
        'documents, vendor surfaces answer in their own error shapes; every response carries X-Request-Id.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from POST /oauth/token' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.paths['/metrics'] = {
    get: {
      operationId: 'metrics',
      summary: 'Prometheus metrics of this process (text exposition format)',
      responses: { '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  };
  return tagBySurface(document);
}

function tagBySurface(document: OpenAPIObject): OpenAPIObject {
  const groups = new Map<string, Set<string>>();
  for (const [path, item] of Object.entries(document.paths)) {
    const surface = surfaceOf(path);
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const resource = (operation.tags ?? []).find((t) => t !== surface);
      const tag = surface === 'native' ? `native: ${resource ?? 'other'}` : surface;
      operation.tags = [tag];
      (operation as unknown as Record<string, unknown>)['x-surface'] = surface;
      if (!groups.has(surface)) groups.set(surface, new Set());
      groups.get(surface)?.add(tag);
    }
  }
  document.tags = [...groups.values()].flatMap((tags) => [...tags]).map((name) => {
    const surface = SURFACES.find((s) => s.name === name.split(':')[0]);
    return { name, description: surface?.description };
  });
  (document as unknown as Record<string, unknown>)['x-tagGroups'] = SURFACES.filter((s) => groups.has(s.name)).map((s) => ({ name: s.name, tags: [...(groups.get(s.name) ?? [])] }));
  return document;
}

/**
 * Serves the UI and the JSON document. They are mounted directly on the HTTP adapter, outside
 * Nest's routing, so the global auth guard never sees them: both are public.
 */
export function setupOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'AsyncOps gateway API',
  });
}
