import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

/**
 * A controller of the token-protected API: its routes under `prefix`, grouped under `tag` in the
 * OpenAPI document and documented with the bearer scheme the document declares (`openapi.ts`), so
 * no authenticated route is documented as open.
 */
export function ApiController(tag: string, prefix: string): ClassDecorator {
  return applyDecorators(ApiTags(tag), ApiBearerAuth('bearer'), Controller(prefix));
}
