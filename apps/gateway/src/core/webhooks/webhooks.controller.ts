import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { WebhookDeliveryView, WebhookRpc, WebhookView, WebhookWithSecret } from '@asyncops/contracts';
import { webhookTargetProblem } from '@asyncops/platform';
import { AuthenticatedClientId } from '../auth/authenticated-client.decorator';
import { GatewayConfig } from '../../config';
import { ValidationFailedError } from '../errors/gateway-errors';
import { ApiProblemResponses } from '../errors/api-problem-responses';
import { GatewayRpc } from '../errors/gateway-rpc';
import { OperationIdPipe } from '../tracker/operation-id.pipe';
import { WebhookIdPipe } from './webhook-id.pipe';
import { WebhookDeliveryListDoc, WebhookListDoc, WebhookWithSecretDoc } from './webhooks.doc';
import { CreateWebhookDto } from './webhooks.dto';

/** Webhooks belong to the client that registered them; another client's id is a 404. */
@ApiTags('webhooks')
@ApiBearerAuth('bearer')
@Controller('api/v1')
export class WebhooksController {
  constructor(
    private readonly rpc: GatewayRpc,
    private readonly config: GatewayConfig,
  ) {}

  @Post('webhooks')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register a webhook; the signing secret is returned only here and on rotation',
    description:
      'Each delivery is a POST with `X-Asyncops-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` and `X-Asyncops-Timestamp`; reject old timestamps to stop replays.',
    operationId: 'createWebhook',
  })
  @ApiCreatedResponse({ type: WebhookWithSecretDoc, headers: { Location: { description: 'URL of the new webhook', schema: { type: 'string' } } } })
  @ApiProblemResponses(400, 401, 409, 500, 503)
  async create(@Body() body: CreateWebhookDto, @AuthenticatedClientId() clientId: string, @Res({ passthrough: true }) res: Response): Promise<WebhookWithSecret> {
    // Checked again at every delivery against the address actually connected to (DNS may change).
    const problem = await webhookTargetProblem(body.url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true');
    if (problem) {
      const message =
        problem === 'unresolvable' ? 'url must name a host that resolves' : `url must not point to a ${problem} address; webhooks are only sent to public addresses`;
      throw new ValidationFailedError([{ field: 'url', rule: 'publicAddress', message }]);
    }
    const created = await this.rpc.call(WebhookRpc.Create, { ownerId: clientId, url: body.url, events: body.events, operationId: body.operationId?.toLowerCase(), jobType: body.jobType });
    res.setHeader('Location', `/api/v1/webhooks/${created.id}`);
    return created;
  }

  @Get('webhooks')
  @ApiOperation({ summary: 'List your webhooks (without secrets)', operationId: 'listWebhooks' })
  @ApiOkResponse({ type: WebhookListDoc })
  @ApiProblemResponses(401, 500, 503)
  async list(@AuthenticatedClientId() clientId: string): Promise<{ data: WebhookView[] }> {
    return { data: (await this.rpc.call(WebhookRpc.List, { ownerId: clientId })).items };
  }

  @Delete('webhooks/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook; its pending deliveries are not sent', operationId: 'deleteWebhook' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProblemResponses(401, 404, 500, 503)
  async delete(@Param('id', WebhookIdPipe) id: string, @AuthenticatedClientId() clientId: string): Promise<void> {
    await this.rpc.call(WebhookRpc.Delete, { ownerId: clientId, webhookId: id });
  }

  @Post('webhooks/:id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the signing secret; later deliveries are signed with the new one', operationId: 'rotateWebhookSecret' })
  @ApiOkResponse({ type: WebhookWithSecretDoc })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProblemResponses(401, 404, 500, 503)
  rotate(@Param('id', WebhookIdPipe) id: string, @AuthenticatedClientId() clientId: string): Promise<WebhookWithSecret> {
    return this.rpc.call(WebhookRpc.RotateSecret, { ownerId: clientId, webhookId: id });
  }

  @Get('operations/:id/webhook-deliveries')
  @ApiOperation({ summary: 'The webhook deliveries of an operation, each with its attempts and response codes', operationId: 'listWebhookDeliveries' })
  @ApiOkResponse({ type: WebhookDeliveryListDoc })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProblemResponses(401, 404, 500, 503)
  async deliveries(@Param('id', OperationIdPipe) id: string, @AuthenticatedClientId() clientId: string): Promise<{ data: WebhookDeliveryView[] }> {
    return { data: (await this.rpc.call(WebhookRpc.ListDeliveries, { ownerId: clientId, operationId: id })).items };
  }
}
