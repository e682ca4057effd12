import { Controller, Get, Param, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { OperationView } from '@asyncops/contracts';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { ApiProblemResponses } from '../../../../../core/errors/api-problem-responses';
import { OperationIdPipe } from '../../../../../core/tracker/operation-id.pipe';
import { OperationViewDoc } from '../../operation-view.doc';
import { OperationWaiter } from '../../../../../core/tracker/operation-waiter';
import { RetryAfterInterceptor } from '../../retry-after.interceptor';
import { TrackerClient } from '../../../../../core/tracker/tracker-client';
import { GetOperationQueryDto } from './get-operation.dto';

@ApiTags('operations')
@ApiBearerAuth('bearer')
@Controller('api/v1/operations')
@UseInterceptors(RetryAfterInterceptor)
export class GetOperationController {
  constructor(
    private readonly tracker: TrackerClient,
    private readonly waiter: OperationWaiter,
  ) {}

  @Get(':id')
  @ApiOperation({
    summary: 'Get an operation, optionally waiting for it to finish',
    description: 'With ?wait=N an unfinished operation is answered when it finishes or after N seconds, whichever comes first.',
    operationId: 'getOperation',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({
    type: OperationViewDoc,
    headers: { 'Retry-After': { description: 'Present while the operation is unfinished', schema: { type: 'integer' } } },
  })
  @ApiProblemResponses(400, 401, 404, 500, 503, 504)
  async get(
    @Param('id', OperationIdPipe) id: string,
    @Query() query: GetOperationQueryDto,
    @AuthenticatedClientId() clientId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OperationView> {
    if (!query.wait) return this.tracker.getOperation(clientId, id);
    // The cache may answer a long-poll's reads, but never with a view older than the change that woke it.
    const read = (atLeastVersion: number) => this.tracker.getOperation(clientId, id, atLeastVersion);

    // A caller that hangs up frees its wait at once instead of holding it to the timeout.
    const gone = new AbortController();
    const onClose = () => {
      if (!res.writableEnded) gone.abort();
    };
    res.on('close', onClose);
    try {
      return await this.waiter.readWhenSettled(id, read, query.wait, gone.signal);
    } finally {
      res.off('close', onClose);
    }
  }
}
