import { Get, Param, ParseEnumPipe, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { IMPORTED_RESOURCES, ImportedResource } from '@asyncops/contracts';
import { ApiController } from '../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { ApiProblemResponses } from '../../../core/errors/api-problem-responses';
import { NotFoundError } from '../../../core/errors/gateway-errors';
import { PageCursorQuery, PageLimitQuery, PageResponse, sendPage } from '../../../core/http/paging';
import { ImporterClient } from '../importer-client';

export class ListImportedResourcesQueryDto {
  @PageLimitQuery(200, 50)
  limit = 50;

  @PageCursorQuery(400)
  cursor?: string;
}

/** Native reads of what imports wrote (vouchers by code, the others by source id). */
@ApiController('imported resources', 'api/v1/imported')
export class ListImportedResourcesController {
  constructor(private readonly importer: ImporterClient) {}

  @Get(':resource')
  @ApiOperation({ summary: 'List imported vouchers, campaigns, customers, products, SKUs or orders', operationId: 'listImportedResources' })
  @ApiParam({ name: 'resource', enum: IMPORTED_RESOURCES })
  @ApiOkResponse({ description: '{ data, nextCursor, hasMore }, with a Link rel="next" header when there is more' })
  @ApiProblemResponses(400, 401, 404, 500, 503, 504)
  async list(
    @Param('resource', new ParseEnumPipe(Object.fromEntries(IMPORTED_RESOURCES.map((r) => [r, r])), { exceptionFactory: () => new NotFoundError(`Imported resources are one of: ${IMPORTED_RESOURCES.join(', ')}.`) }))
    resource: ImportedResource,
    @Query() query: ListImportedResourcesQueryDto,
    @AuthenticatedClientId() clientId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PageResponse<Record<string, unknown>>> {
    const page = await this.importer.listImportedResources({ ownerId: clientId, resource, limit: query.limit, cursor: query.cursor });
    return sendPage(req, res, page);
  }
}
