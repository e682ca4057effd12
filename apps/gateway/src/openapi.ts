import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/openapi.json';

/** The native API's OpenAPI document, built from the explicit decorators on routes and DTOs. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('AsyncOps gateway: native API')
    .setDescription(
      'Follow long-running asynchronous operations: create, get (with ?wait= long-poll), list with filters and cursor paging, ' +
        'cancel, and per-item failures. Get a bearer token with POST /oauth/token (OAuth 2.0 client credentials). ' +
        'Errors are RFC 9457 application/problem+json documents; every response carries X-Request-Id.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from POST /oauth/token' }, 'bearer')
    .build();
  return SwaggerModule.createDocument(app, config);
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
