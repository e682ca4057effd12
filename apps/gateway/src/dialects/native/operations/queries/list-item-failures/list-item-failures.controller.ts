import { Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { ItemFailureView } from '@asyncops/contracts';
import { ApiController } from '../../../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { ApiProblemResponses } from '../../../../../core/errors/api-problem-responses';
import { OperationIdPipe } from '../../../../../core/tracker/operation-id.pipe';
import { ItemFailurePageDoc } from '../../operation-view.doc';
import { PageResponse, sendPage } from '../../../../../core/http/paging';
import { TrackerClient } from '../../../../../core/tracker/tracker-client';
import { ListItemFailuresQueryDto } from './list-item-failures.dto';

@ApiController('operations', 'api/v1/operations')
export class ListItemFailuresController {
  constructor(private readonly tracker: TrackerClient) {}

  @Get(':id/failures')
  @ApiOperation({ summary: 'List the per-item failures of an operation, in the order they were recorded', operationId: 'listItemFailures' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({
    type: ItemFailurePageDoc,
    headers: { Link: { description: 'rel="next" URL when there is a next page', schema: { type: 'string' } } },
  })
  @ApiProblemResponses(400, 401, 404, 500, 503, 504)
  async list(
    @Param('id', OperationIdPipe) id: string,
    @Query() query: ListItemFailuresQueryDto,
    @AuthenticatedClientId() clientId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PageResponse<ItemFailureView>> {
    const page = await this.tracker.listItemFailures({ operationId: id, ownerId: clientId, limit: query.limit, cursor: query.cursor });
    return sendPage(req, res, page);
  }
}
