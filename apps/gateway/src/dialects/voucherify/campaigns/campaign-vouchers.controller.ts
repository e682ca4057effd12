import { Body, Controller, Delete, HttpCode, Param, Put, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CampaignVoucherChanges, RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { NotFoundError } from '../../../core/errors/gateway-errors';
import { ensureRequestId } from '../../../core/http/request-context';
import { TrackerClient } from '../../../core/tracker/tracker-client';
import { toAsyncActionId } from '../async-action-id';
import { ImporterClient } from '../importer-client';
import { AsyncActionAccepted } from '../imports/import-starter';
import { InvalidUploadError } from '../voucherify-errors';
import { toVoucherifyCampaign } from '../resources/voucherify-resources';

/** The campaign fields an update carries over to every voucher of the campaign. */
export class UpdateCampaignDto extends CampaignVoucherChanges {}

/**
 * Campaign updates and deletes reach every voucher of the campaign, so they run as the async
 * actions CAMPAIGN.VOUCHERS_UPDATE and CAMPAIGN.VOUCHERS_DELETE. An update answers 200 with the
 * campaign object as Voucherify does (the campaign itself already changed) plus the action's
 * `async_action_id`; a delete answers 202 with the action id.
 */
@ApiTags('voucherify')
@Controller('v1/campaigns')
export class CampaignVouchersController {
  constructor(
    private readonly importer: ImporterClient,
    private readonly tracker: TrackerClient,
  ) {}

  @Put(':campaignId')
  @HttpCode(200)
  async update(@Param('campaignId') campaignId: string, @Body() body: UpdateCampaignDto, @AuthenticatedClientId() ownerId: string, @Req() req: Request): Promise<Record<string, unknown>> {
    const key = campaignKey(campaignId);
    const accepted = await this.start('update', key, ownerId, req, { ...body });
    const { record } = await this.importer.getResource({ ownerId, resource: 'campaign', key });
    return { ...toVoucherifyCampaign(record), async_action_id: accepted.async_action_id };
  }

  @Delete(':campaignId')
  @HttpCode(202)
  remove(@Param('campaignId') campaignId: string, @AuthenticatedClientId() ownerId: string, @Req() req: Request): Promise<AsyncActionAccepted> {
    return this.start('delete', campaignKey(campaignId), ownerId, req);
  }

  private async start(kind: 'update' | 'delete', campaignId: string, ownerId: string, req: Request, changes?: Record<string, unknown>): Promise<AsyncActionAccepted> {
    if (!campaignId || campaignId.length > 255) throw new InvalidUploadError('campaignId', 'length', 'campaignId must be 1 to 255 characters');
    let accepted;
    try {
      accepted = await this.importer.startCampaignChange({ ownerId, campaignId, kind, requestId: ensureRequestId(req).slice(0, 100), ...(changes ? { changes } : {}) });
    } catch (e) {
      if (e instanceof RpcError && e.code === RpcErrorCode.NotFound) throw new NotFoundError(`Cannot find campaign with id ${campaignId}`);
      throw e;
    }
    // Read-your-writes: the action is the tracker's before the answer leaves, as the importer announced it.
    await this.tracker.recordSubmitted(accepted.submitted);
    return { async_action_id: toAsyncActionId(accepted.operationId) };
  }
}

/** A campaign is named by its name, its uuid or Voucherify's `camp_` id (the uuid's hex digits). */
export function campaignKey(campaignId: string): string {
  const m = /^camp_([0-9a-f]{32})$/i.exec(campaignId ?? '');
  if (!m) return campaignId;
  const h = m[1].toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
