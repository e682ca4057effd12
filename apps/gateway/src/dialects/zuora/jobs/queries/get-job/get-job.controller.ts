import { Get, Param, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OperationView, RpcErrorCode, ZUORA_REFERENCE_ENTITY_TYPES } from '@asyncops/contracts';
import { isUuid } from '@asyncops/domain';
import { RpcError } from '@asyncops/messaging';
import { CANCELLED_MESSAGE, toZuoraView } from '@asyncops/state-machine';
import { ApiController } from '../../../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { TrackerClient } from '../../../../../core/tracker/tracker-client';
import { ZuoraApiError, ZuoraErrorCode } from '../../../errors/zuora-error';
import { sendZuoraJson } from '../../../http/zuora-response';

const ZUORA_ENTITY_TYPES: ReadonlySet<string> = new Set(Object.values(ZUORA_REFERENCE_ENTITY_TYPES));

export interface ZuoraJobView {
  errors: string | null;
  result: Record<string, unknown> | null;
  status: string;
  success: boolean;
}

/** Other operations (cart placements, imports) are not Zuora jobs, whoever owns them. */
export function isZuoraJob(op: OperationView): boolean {
  return !!op.referenceEntityType && ZUORA_ENTITY_TYPES.has(op.referenceEntityType);
}

/** The tracker record of a Zuora job in seed 003's words; `result` is the job's response once it finished. */
export function toZuoraJob(op: OperationView): ZuoraJobView {
  const view = toZuoraView(op.status);
  const finished = view.status !== 'Processing';
  // Zuora has no cancelled status: a cancelled job reads Failed, and its errors say why.
  const fallback = op.status === 'Cancelled' ? CANCELLED_MESSAGE : 'The job failed.';
  const errors = view.status === 'Failed' ? (op.errors?.map((e) => e.message).join('; ') || op.message || fallback) : null;
  return { errors, result: finished ? (op.result ?? null) : null, status: view.status, success: view.success };
}

@ApiController('zuora', 'v1/async-jobs')
export class GetJobController {
  constructor(private readonly tracker: TrackerClient) {}

  @Get(':jobId')
  @ApiOperation({ summary: 'Retrieve the status and response of a job (Zuora)', operationId: 'zuoraGetAsyncJob' })
  @ApiParam({ name: 'jobId', format: 'uuid' })
  @ApiOkResponse({ description: '{errors, result, status, success}' })
  async get(@Param('jobId') jobId: string, @AuthenticatedClientId() clientId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const notFound = new ZuoraApiError(404, [{ code: ZuoraErrorCode.NotFound, message: `No job with id ${jobId.slice(0, 64)} exists.` }]);
    if (!isUuid(jobId)) throw notFound;
    let op: OperationView;
    try {
      op = await this.tracker.getOperation(clientId, jobId);
    } catch (e) {
      if (e instanceof RpcError && e.code === RpcErrorCode.NotFound) throw notFound;
      throw e;
    }
    if (!isZuoraJob(op)) throw notFound;
    await sendZuoraJson(req, res, 200, toZuoraJob(op));
  }
}
