import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import type { Request } from 'express';
import { MAX_GENERATED_VOUCHERS } from '@asyncops/contracts';
import { AuthenticatedClientId } from '../../auth/authenticated-client.decorator';
import { ensureRequestId } from '../../http/request-context';
import { TrackerClient } from '../../operations/tracker-client';
import { toAsyncActionId } from '../async-action-id';
import { ImporterClient } from '../importer-client';
import { AsyncActionAccepted } from '../imports/import-starter';
import { InvalidUploadError } from '../voucherify-errors';
import { Idempotent } from '../../idempotency/idempotent.decorator';

/** Voucherify's default code_config: 8 alphanumeric characters. */
export const DEFAULT_CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export class GenerateVouchersQueryDto {
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(MAX_GENERATED_VOUCHERS)
  vouchers_count!: number;
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

export class GenerateVouchersBodyDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => CodeConfigDto)
  code_config?: CodeConfigDto;
}

/**
 * Adding `vouchers_count` (≥ 2) vouchers to a campaign is Voucherify's CAMPAIGN.VOUCHERS_GENERATE
 * async action: unique codes from the campaign's code_config, none colliding with existing codes.
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
  ): Promise<AsyncActionAccepted> {
    if (!campaignId || campaignId.length > 255) throw new InvalidUploadError('campaignId', 'length', 'campaignId must be 1 to 255 characters');
    const c = body?.code_config ?? {};
    const codeConfig = { length: c.length ?? 8, charset: c.charset ?? DEFAULT_CHARSET, prefix: c.prefix ?? '', postfix: c.postfix ?? '' };
    const distinct = new Set(codeConfig.charset).size;
    if (distinct < 2) throw new InvalidUploadError('code_config.charset', 'distinct', 'code_config.charset must hold at least 2 different characters');
    // Far from full: random codes keep colliding once most of the space is taken.
    if (distinct ** codeConfig.length < query.vouchers_count * 2) {
      throw new InvalidUploadError('code_config', 'codeSpace', `code_config allows too few codes for ${query.vouchers_count} vouchers; use a longer length or a larger charset`);
    }
    const operationId = randomUUID();
    const requestId = ensureRequestId(req).slice(0, 100);
    await this.importer.startGeneration({ ownerId, operationId, campaignId, count: query.vouchers_count, codeConfig, requestId });
    await this.tracker.createOperation({ operationId, ownerId, jobType: 'CAMPAIGN.VOUCHERS_GENERATE', producer: 'importer', requestId, totalJobItems: query.vouchers_count });
    return { async_action_id: toAsyncActionId(operationId) };
  }
}
