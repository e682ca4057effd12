import { IsIn, IsISO8601, IsOptional, Length, Matches } from 'class-validator';
import { cell, firstViolation, RowOutcome } from '../../imports/rows/resource-spec';

export const VOUCHER_TYPES = ['DISCOUNT_VOUCHER', 'GIFT_VOUCHER'] as const;
export const DISCOUNT_TYPES = ['AMOUNT', 'PERCENT', 'UNIT'] as const;

/**
 * The voucher CSV columns Voucherify documents that we store: Code, Voucher Type, Value,
 * Discount Type, Category, Start Date, Expiration Date, Redemption Limit, Active, Additional
 * Info. Redeemed Quantity / Redeemed Amount are accepted and ignored (history is not imported);
 * any other column is a metadata property.
 */
export const VOUCHER_COLUMNS = [
  'code',
  'voucher_type',
  'value',
  'discount_type',
  'category',
  'start_date',
  'expiration_date',
  'redemption_limit',
  'active',
  'additional_info',
  'redeemed_quantity',
  'redeemed_amount',
];

export class VoucherCsvRow {
  @Length(1, 100, { message: 'Code is required and must be at most 100 characters' })
  @Matches(/^\S*$/, { message: 'Code must not contain whitespace' })
  code!: string;

  @IsOptional()
  @IsIn(VOUCHER_TYPES, { message: `Voucher Type must be one of ${VOUCHER_TYPES.join(', ')}` })
  voucherType?: string;

  @IsOptional()
  @Matches(/^\d{1,12}(\.\d{1,4})?$/, { message: 'Value must be a non-negative number' })
  value?: string;

  @IsOptional()
  @IsIn(DISCOUNT_TYPES, { message: `Discount Type must be one of ${DISCOUNT_TYPES.join(', ')}` })
  discountType?: string;

  @IsOptional()
  @Length(1, 255, { message: 'Category must be at most 255 characters' })
  category?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'Start Date must be an ISO 8601 date' })
  startDate?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'Expiration Date must be an ISO 8601 date' })
  expirationDate?: string;

  @IsOptional()
  @Matches(/^[1-9]\d{0,8}$/, { message: 'Redemption Limit must be a positive integer' })
  redemptionLimit?: string;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'Active must be true or false' })
  active?: string;

  @IsOptional()
  @Length(1, 1000, { message: 'Additional Info must be at most 1000 characters' })
  additionalInfo?: string;
}

export interface VoucherRecord {
  code: string;
  type: string;
  discountType: string | null;
  discountValue: string | null;
  giftAmount: string | null;
  category: string | null;
  startDate: string | null;
  expirationDate: string | null;
  redemptionLimit: number | null;
  active: boolean;
  additionalInfo: string | null;
  metadata: Record<string, unknown>;
}

/** Validates one voucher row; the cross-column rules follow Voucherify's voucher object. */
export function parseVoucherRow(cells: Record<string, string>, metadata: Record<string, string>): RowOutcome<VoucherRecord> {
  const plain = {
    code: cells.code?.trim() ?? '',
    voucherType: cell(cells, 'voucher_type')?.toUpperCase(),
    value: cell(cells, 'value'),
    discountType: cell(cells, 'discount_type')?.toUpperCase(),
    category: cell(cells, 'category'),
    startDate: cell(cells, 'start_date'),
    expirationDate: cell(cells, 'expiration_date'),
    redemptionLimit: cell(cells, 'redemption_limit'),
    active: cell(cells, 'active')?.toLowerCase(),
    additionalInfo: cell(cells, 'additional_info'),
  };
  const key = plain.code || null;
  const checked = firstViolation(VoucherCsvRow, plain);
  if ('reason' in checked) return { ok: false, key, reason: checked.reason };
  const r = checked.value;
  const type = r.voucherType ?? 'DISCOUNT_VOUCHER';
  if (type === 'GIFT_VOUCHER') {
    if (!r.value) return { ok: false, key, reason: 'Value is required for a GIFT_VOUCHER' };
    if (!/^\d+$/.test(r.value)) return { ok: false, key, reason: 'Value of a GIFT_VOUCHER must be an integer amount in cents' };
  } else if (r.value !== undefined && !r.discountType) {
    return { ok: false, key, reason: 'Discount Type is required when Value is given' };
  } else if (r.discountType === 'PERCENT' && r.value !== undefined && Number(r.value) > 100) {
    return { ok: false, key, reason: 'Value of a PERCENT discount must be between 0 and 100' };
  }
  if (r.startDate && r.expirationDate && Date.parse(r.expirationDate) < Date.parse(r.startDate)) {
    return { ok: false, key, reason: 'Expiration Date must not be before Start Date' };
  }
  return {
    ok: true,
    key: r.code,
    value: {
      code: r.code,
      type,
      discountType: type === 'GIFT_VOUCHER' ? null : (r.discountType ?? null),
      discountValue: type === 'GIFT_VOUCHER' ? null : (r.value ?? null),
      giftAmount: type === 'GIFT_VOUCHER' ? (r.value ?? null) : null,
      category: r.category ?? null,
      startDate: r.startDate ?? null,
      expirationDate: r.expirationDate ?? null,
      redemptionLimit: r.redemptionLimit ? Number(r.redemptionLimit) : null,
      active: r.active !== 'false',
      additionalInfo: r.additionalInfo ?? null,
      metadata,
    },
  };
}
