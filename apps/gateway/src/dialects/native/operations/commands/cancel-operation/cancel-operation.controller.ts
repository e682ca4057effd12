import { Body, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { OperationView } from '@asyncops/contracts';
import { ApiController } from '../../../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { ApiProblemResponses } from '../../../../../core/errors/api-problem-responses';
import { OperationIdPipe } from '../../../../../core/tracker/operation-id.pipe';
import { OperationViewDoc } from '../../operation-view.doc';
import { RetryAfterInterceptor } from '../../retry-after.interceptor';
import { TrackerClient } from '../../../../../core/tracker/tracker-client';
import { CancelOperationDto } from './cancel-operation.dto';

@ApiController('operations', 'api/v1/operations')
@UseInterceptors(RetryAfterInterceptor)
export class CancelOperationController {
  constructor(private readonly tracker: TrackerClient) {}

  /** 202, not 200: the producer stops the work when it next checks, so the answer is a request, not a result. */
  @Post(':id/cancel')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Cancel an operation at its next batch boundary',
    description:
      'The producer running the work is told to stop at its next batch boundary; work already committed stays and is counted. ' +
      'Poll the operation: it ends `Cancelled` (Salesforce `Failure`, Voucherify `FAILED`, Zuora `Failed`, with a message saying it was cancelled). ' +
      'Asking again while the request is pending changes nothing (202); a finished operation answers 409 CONFLICT.',
    operationId: 'cancelOperation',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ type: CancelOperationDto, required: false })
  @ApiAcceptedResponse({
    type: OperationViewDoc,
    headers: { 'Retry-After': { description: 'Present while the operation is unfinished', schema: { type: 'integer' } } },
  })
  @ApiProblemResponses(400, 401, 404, 409, 500, 503, 504)
  cancel(
    @Param('id', OperationIdPipe) id: string,
    @Body() body: CancelOperationDto,
    @AuthenticatedClientId() clientId: string,
  ): Promise<OperationView> {
    return this.tracker.cancelOperation({ operationId: id, ownerId: clientId, reason: body.reason });
  }
}
