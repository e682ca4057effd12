import { Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { OperationView } from '@asyncops/contracts';
import { ApiController } from '../../../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { ApiProblemResponses } from '../../../../../core/errors/api-problem-responses';
import { OperationPageDoc } from '../../operation-view.doc';
import { PageResponse, sendPage } from '../../../../../core/http/paging';
import { TrackerClient } from '../../../../../core/tracker/tracker-client';
import { ListOperationsQueryDto } from './list-operations.dto';

@ApiController('operations', 'api/v1/operations')
export class ListOperationsController {
  constructor(private readonly tracker: TrackerClient) {}

  @Get()
  @ApiOperation({ summary: "List the caller's operations with filters and cursor paging", operationId: 'listOperations' })
  @ApiOkResponse({
    type: OperationPageDoc,
    headers: { Link: { description: 'rel="next" URL when there is a next page', schema: { type: 'string' } } },
  })
  @ApiProblemResponses(400, 401, 500, 503, 504)
  async list(
    @Query() query: ListOperationsQueryDto,
    @AuthenticatedClientId() clientId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PageResponse<OperationView>> {
    const page = await this.tracker.listOperations(query.toRequest(clientId));
    return sendPage(req, res, page);
  }
}
