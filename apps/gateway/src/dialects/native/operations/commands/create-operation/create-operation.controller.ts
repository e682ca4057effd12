import { Body, HttpCode, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RpcErrorCode, type OperationView } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { newOperationId } from '@asyncops/domain';
import { ApiController } from '../../../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { ApiProblemResponses } from '../../../../../core/errors/api-problem-responses';
import { GatewayError } from '../../../../../core/errors/gateway-errors';
import { ensureRequestId } from '../../../../../core/http/request-context';
import { OperationViewDoc } from '../../operation-view.doc';
import { RetryAfterInterceptor } from '../../retry-after.interceptor';
import { TrackerClient } from '../../../../../core/tracker/tracker-client';
import { CreateOperationDto } from './create-operation.dto';
import { Idempotent, idempotentExecutionId } from '../../../../../core/idempotency/idempotent.decorator';

/** The parent named is not an operation of the caller (it may exist for another client: not found all the same). */
export class ParentOperationNotFoundError extends GatewayError {
  constructor() {
    const message = 'parentOperationId must name an operation of the authenticated client';
    super({ code: 'NOT_FOUND', status: 404, title: 'Not found', detail: `${message}; none with this id exists for it.`, errors: [{ field: 'parentOperationId', rule: 'ownedOperation', message }] });
  }
}

@ApiController('operations', 'api/v1/operations')
@UseInterceptors(RetryAfterInterceptor)
export class CreateOperationController {
  constructor(private readonly tracker: TrackerClient) {}

  @Post()
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary: 'Register an operation run by an external producer',
    description: 'The caller becomes the owner and the producer; it then reports progress with lifecycle events on the broker.',
    operationId: 'createOperation',
  })
  @ApiCreatedResponse({
    type: OperationViewDoc,
    headers: {
      Location: { description: 'URL of the new operation', schema: { type: 'string' } },
      'Retry-After': { description: 'Seconds to wait before polling the operation', schema: { type: 'integer' } },
    },
  })
  @ApiHeader({ name: 'X-Request-Id', required: false, description: 'Echoed back and recorded as the operation requestId.' })
  @ApiProblemResponses(400, 401, 404, 409, 500, 503, 504)
  async create(
    @Body() body: CreateOperationDto,
    @AuthenticatedClientId() clientId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OperationView> {
    const view = await this.tracker
      .createOperation({
      // A retry of a keyed request whose first attempt failed names the same operation.
      operationId: idempotentExecutionId(req) ?? newOperationId(),
      ownerId: clientId,
      producer: clientId,
      requestId: ensureRequestId(req),
      jobType: body.jobType,
      stepName: body.stepName,
      correlationIdentifier: body.correlationIdentifier,
      parentOperationId: body.parentOperationId,
      referenceEntityId: body.referenceEntityId,
      referenceEntityType: body.referenceEntityType,
      totalJobItems: body.totalJobItems,
      expiresAt: body.expiresAt,
      })
      .catch((e: unknown) => {
        if (body.parentOperationId && e instanceof RpcError && e.code === RpcErrorCode.NotFound) throw new ParentOperationNotFoundError();
        throw e;
      });
    res.setHeader('Location', `/api/v1/operations/${view.id}`);
    return view;
  }
}
