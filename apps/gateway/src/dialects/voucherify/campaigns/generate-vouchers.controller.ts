import { Body, Controller, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { CampaignVoucherChanges, MAX_GENERATED_VOUCHERS, OptionalNested } from '@asyncops/contracts';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { ensureRequestId } from '../../../core/http/request-context';
import { TrackerClient } from '../../../core/tracker/tracker-client';
import { toAsyncActionId } from '../async-action-id';
import { ImporterClient } from '../importer-client';
import { AsyncActionAccepted } from '../imports/import-starter';
import { InvalidUploadError } from '../voucherify-errors';
import { Idempotent } from '../../../core/idempotency/idempotent.decorator';
import { RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { NotFoundError } from '../../../core/errors/gateway-errors';
import { toVoucherifyVoucher } from '../resources/voucherify-resources';
import { campaignKey } from './campaign-vouchers.controller';

/** Voucherify's default code_config: 8 alphanumeric characters. */
export const DEFAULT_CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export class GenerateVouchersQueryDto {
  /** Absent or 1: one voucher, added now and answered; 2 or more: the generate async action. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_GENERATED_VOUCHERS)
  vouchers_count?: number;
}

export class VoucherRedemptionDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  quantity?: number;
}

export class CodeConfigDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  length?: number;

  @IsOptional()
  @IsString()
  @Length(2, 256)
  charset?: string;

  @IsOptional()
  @IsString()
  @Length(0, 50)
  prefix?: string;

  @IsOptional()
  @IsString()
  @Length(0, 50)
  postfix?: string;
}

/** The voucher fields (category, active, dates, metadata) apply to a single added voucher (without `vouchers_count`). */
export class GenerateVouchersBodyDto extends CampaignVoucherChanges {
  @OptionalNested(() => CodeConfigDto)
  code_config?: CodeConfigDto;

  @OptionalNested(() => VoucherRedemptionDto)
  redemption?: VoucherRedemptionDto;

  @IsOptional()
  @IsString()
  @Length(0, 1000)
  additional_info?: string;
}

/**
 * Adding `vouchers_count` (≥ 2) vouchers to a campaign is Voucherify's CAMPAIGN.VOUCHERS_GENERATE
 * async action: unique codes from the campaign's code_config, none colliding with existing codes.
 * Without a count (or with 1) one voucher is added at once and answered (200, the voucher object).
 */
@ApiTags('voucherify')
@Controller('v1/campaigns')
export class GenerateVouchersController {
  constructor(
    private readonly importer: ImporterClient,
    private readonly tracker: TrackerClient,
  ) {}

  @Post(':campaignId/vouchers')
  @Idempotent()
  @HttpCode(202)
  async generate(
    @Param('campaignId') campaignId: string,
    @Query() query: GenerateVouchersQueryDto,
    @Body() body: GenerateVouchersBodyDto,
    @AuthenticatedClientId() ownerId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AsyncActionAccepted | Record<string, unknown>> {
    if (!campaignId || campaignId.length > 255) throw new InvalidUploadError('campaignId', 'length', 'campaignId must be 1 to 255 characters');
    const c = body?.code_config ?? {};
    const codeConfig = { length: c.length ?? 8, charset: c.charset ?? DEFAULT_CHARSET, prefix: c.prefix ?? '', postfix: c.postfix ?? '' };
    const distinct = new Set(codeConfig.charset).size;
    if (distinct < 2) throw new InvalidUploadError('code_config.charset', 'distinct', 'code_config.charset must hold at least 2 different characters');
    // Far from full: random codes keep colliding once most of the space is taken.
    const count = query.vouchers_count ?? 1;
    if (distinct ** codeConfig.length < count * 2) {
      throw new InvalidUploadError('code_config', 'codeSpace', `code_config allows too few codes for ${count} vouchers; use a longer length or a larger charset`);
    }
    if (count === 1) {
      const key = campaignKey(campaignId);
      try {
        const { record } = await this.importer.addCampaignVoucher({
          ownerId,
          campaignId: key,
          codeConfig,
          ...(body?.category !== undefined ? { category: body.category } : {}),
          ...(body?.active !== undefined ? { active: body.active } : {}),
          ...(body?.start_date !== undefined ? { start_date: body.start_date } : {}),
          ...(body?.expiration_date !== undefined ? { expiration_date: body.expiration_date } : {}),
          ...(body?.metadata !== undefined ? { metadata: body.metadata } : {}),
          ...(body?.redemption?.quantity !== undefined ? { redemptionQuantity: body.redemption.quantity } : {}),
          ...(body?.additional_info !== undefined ? { additionalInfo: body.additional_info } : {}),
        });
        res.status(200);
        return toVoucherifyVoucher(record);
      } catch (e) {
        if (e instanceof RpcError && e.code === RpcErrorCode.NotFound) throw new NotFoundError(`Cannot find campaign with id ${campaignId}`);
        if (e instanceof RpcError && e.code === RpcErrorCode.Conflict) throw new InvalidUploadError('code_config', 'codeSpace', e.message);
        throw e;
      }
    }
    const accepted = await this.importer.startGeneration({ ownerId, campaignId, count, codeConfig, requestId: ensureRequestId(req).slice(0, 100) });
    // Read-your-writes: the action is the tracker's before the answer leaves, as the importer announced it.
    await this.tracker.recordSubmitted(accepted.submitted);
    return { async_action_id: toAsyncActionId(accepted.operationId) };
  }
}
