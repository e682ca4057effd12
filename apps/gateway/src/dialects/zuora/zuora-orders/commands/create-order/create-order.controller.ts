import { Body, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ZuoraAsyncJobType, ZuoraOrderBody } from '@asyncops/contracts';
import { ApiController } from '../../../../../core/auth/api-controller.decorator';
import { AuthenticatedClientId } from '../../../../../core/auth/authenticated-client.decorator';
import { ensureRequestId } from '../../../../../core/http/request-context';
import { IdempotencyService } from '../../../../../core/idempotency/idempotency.service';
import { TrackerClient } from '../../../../../core/tracker/tracker-client';
import { sendZuoraJson } from '../../../http/zuora-response';
import { ZuoraOrdersClient } from '../../../zuora-orders.client';

export interface ZuoraJobAccepted {
  jobId: string;
  success: true;
}

/**
 * Zuora's "Create an order asynchronously" and "Preview an order asynchronously". The job is
 * order-placement's and the tracker's before the answer leaves, so GET /v1/async-jobs/{jobId}
 * finds it at once.
 */
@ApiController('zuora', 'v1/async/orders')
@ApiHeader({ name: 'idempotency-key', required: false, description: 'Up to 255 characters; a retry with the same key and body gets the first answer for 24 hours' })
@ApiHeader({ name: 'Zuora-Track-Id', required: false, description: 'Up to 64 US-ASCII characters without : ; " \'; echoed back' })
export class CreateOrderController {
  constructor(
    private readonly orders: ZuoraOrdersClient,
    private readonly tracker: TrackerClient,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Create an order asynchronously (Zuora)', operationId: 'zuoraCreateOrderAsync' })
  @ApiAcceptedResponse({ description: '{jobId, success: true}' })
  create(@Body() body: ZuoraOrderBody, @AuthenticatedClientId() clientId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.submit('AsyncCreateOrder', body, clientId, req, res);
  }

  @Post('preview')
  @HttpCode(202)
  @ApiOperation({ summary: 'Preview an order asynchronously (Zuora)', operationId: 'zuoraPreviewOrderAsync' })
  @ApiAcceptedResponse({ description: '{jobId, success: true}' })
  preview(@Body() body: ZuoraOrderBody, @AuthenticatedClientId() clientId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.submit('AsyncPreviewOrder', body, clientId, req, res);
  }

  private async submit(jobType: ZuoraAsyncJobType, body: ZuoraOrderBody, clientId: string, req: Request, res: Response): Promise<void> {
    const key = req.header('idempotency-key');
    const outcome = await this.idempotency.run<ZuoraJobAccepted>(
      // The hash covers the body as sent: validation happened before, so only valid bodies are keyed.
      { clientId, key, method: req.method, path: req.path, body: req.body as unknown },
      async (executionId) => {
        // A keyed request's execution names the job, so a retry after a failed attempt submits it once;
        // otherwise order-placement names it.
        const accepted = await this.orders.submit({ ownerId: clientId, operationId: key === undefined ? undefined : executionId, jobType, order: body, requestId: ensureRequestId(req) });
        // Read-your-writes: the job is the tracker's before the answer leaves, as order-placement announced it.
        await this.tracker.recordSubmitted(accepted.submitted);
        return { status: 202, body: { jobId: accepted.jobId, success: true } };
      },
    );
    if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
    await sendZuoraJson(req, res, outcome.status, outcome.body);
  }
}
