import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { CampaignVoucherChanges, CodeConfig } from './importer';
import { RequiredNested } from '../validation';

/** Request/reply routing keys for single resources (commands exchange; answered by the importer). */
export const ImporterResourceRpc = {
  GetResource: 'importer.rpc.get-resource',
  AddCampaignVoucher: 'importer.rpc.add-campaign-voucher',
} as const;

/** The resources a client reads one at a time. */
export const READABLE_RESOURCES = ['voucher', 'campaign', 'customer'] as const;
export type ReadableResource = (typeof READABLE_RESOURCES)[number];

/**
 * One resource of its owner: a voucher by code (or `v_` id), a campaign by name (or id, `camp_` id),
 * a customer by source_id (or `cust_` id).
 */
export class GetImportedResourceRequest {
  @IsString()
  @Length(1, 255)
  ownerId!: string;

  @IsIn(READABLE_RESOURCES)
  resource!: ReadableResource;

  @IsString()
  @Length(1, 255)
  key!: string;
}

/**
 * The stored row as the importer keeps it (snake_case columns, timestamps as ISO strings), plus
 * `campaign_name` for a voucher and `vouchers_count` for a campaign; the gateway formats it.
 */
export interface ImportedResourceRecord {
  resource: ReadableResource;
  record: Record<string, unknown>;
}

/** One voucher added to an existing campaign, synchronously (Voucherify's add voucher without a count). */
export class AddCampaignVoucherRequest extends CampaignVoucherChanges {
  @IsString()
  @Length(1, 255)
  ownerId!: string;

  @IsString()
  @Length(1, 255)
  campaignId!: string;

  /** A code drawn from this pattern (collisions with existing codes are drawn again). */
  @RequiredNested(() => CodeConfig)
  codeConfig!: CodeConfig;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  redemptionQuantity?: number;

  @IsOptional()
  @IsString()
  @Length(0, 1000)
  additionalInfo?: string;
}
