/**
 * Importer rows in Voucherify's object shapes (voucher, campaign, customer), as @voucherify/sdk's
 * `vouchers.get`, `campaigns.get` and `customers.get` return them. Ids are the row's uuid in
 * Voucherify's prefixed form (`v_`, `camp_`, `cust_` + 32 hex digits), so no id table exists.
 */
type Row = Record<string, unknown>;

const hex = (uuid: unknown) => String(uuid).replace(/-/g, '').toLowerCase();
export const voucherId = (uuid: unknown) => `v_${hex(uuid)}`;
export const campaignId = (uuid: unknown) => `camp_${hex(uuid)}`;
export const customerId = (uuid: unknown) => `cust_${hex(uuid)}`;

const iso = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(String(v));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const obj = (v: unknown): Row => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Row) : {});

/** Voucherify's `discount` of a DISCOUNT_VOUCHER: the value under the key its type names. */
function discount(row: Row): Row | null {
  if (row.type !== 'DISCOUNT_VOUCHER' || !row.discount_type) return null;
  const value = num(row.discount_value);
  switch (row.discount_type) {
    case 'AMOUNT':
      return { type: 'AMOUNT', amount_off: value, effect: 'APPLY_TO_ORDER' };
    case 'PERCENT':
      return { type: 'PERCENT', percent_off: value, effect: 'APPLY_TO_ORDER' };
    case 'UNIT':
      return { type: 'UNIT', unit_off: value, effect: 'ADD_MISSING_ITEMS' };
    default:
      return { type: row.discount_type };
  }
}

export function toVoucherifyVoucher(row: Row): Row {
  const code = String(row.code);
  const path = encodeURIComponent(code);
  const gift = row.type === 'GIFT_VOUCHER' ? { amount: num(row.gift_amount) ?? 0, balance: num(row.gift_amount) ?? 0, effect: 'APPLY_TO_ORDER' } : null;
  return {
    id: voucherId(row.id),
    code,
    campaign: row.campaign_name ?? null,
    campaign_id: row.campaign_id ? campaignId(row.campaign_id) : null,
    category: row.category ?? null,
    category_id: null,
    categories: [],
    type: row.type,
    discount: discount(row),
    gift,
    loyalty_card: null,
    start_date: iso(row.start_date),
    expiration_date: iso(row.expiration_date),
    validity_timeframe: null,
    validity_day_of_week: null,
    active: row.active !== false,
    additional_info: row.additional_info ?? null,
    metadata: obj(row.metadata),
    is_referral_code: false,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    holder_id: null,
    redemption: { quantity: num(row.redemption_limit), redeemed_quantity: 0, object: 'list', url: `/v1/vouchers/${path}/redemptions?page=1&limit=10` },
    publish: { object: 'list', count: 0, url: `/v1/vouchers/${path}/publications?page=1&limit=10` },
    object: 'voucher',
  };
}

export function toVoucherifyCampaign(row: Row): Row {
  return {
    id: campaignId(row.id),
    name: row.name,
    description: null,
    campaign_type: row.type ?? 'DISCOUNT_COUPONS',
    type: 'STATIC',
    auto_join: false,
    join_once: false,
    use_voucher_metadata_schema: false,
    start_date: iso(row.start_date),
    expiration_date: iso(row.expiration_date),
    validity_timeframe: null,
    validity_day_of_week: null,
    vouchers_count: num(row.vouchers_count) ?? 0,
    active: row.active !== false,
    category: row.category ?? null,
    category_id: null,
    categories: [],
    metadata: obj(row.metadata),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    creation_status: 'DONE',
    vouchers_generation_status: 'DONE',
    protected: false,
    object: 'campaign',
  };
}

export function toVoucherifyCustomer(row: Row): Row {
  const { description, ...metadata } = obj(row.metadata);
  const a = row.address ? obj(row.address) : null;
  return {
    id: customerId(row.id),
    source_id: row.source_id,
    name: row.name ?? null,
    description: typeof description === 'string' ? description : null,
    email: row.email ?? null,
    phone: row.phone ?? null,
    // The importer sends the date as yyyy-mm-dd text, so no time zone can shift it.
    birthdate: typeof row.birthdate_text === 'string' ? row.birthdate_text : null,
    address: a
      ? { city: a.city ?? null, state: a.state ?? null, line_1: a.line_1 ?? null, line_2: a.line_2 ?? null, country: a.country ?? null, postal_code: a.postal_code ?? null }
      : null,
    summary: {
      redemptions: { total_redeemed: 0, total_failed: 0, total_succeeded: 0, total_rolled_back: 0, total_rollback_failed: 0, total_rollback_succeeded: 0, gift: { redeemed_amount: 0, amount_to_go: 0 }, loyalty_card: { redeemed_points: 0, points_to_go: 0 } },
      orders: { total_amount: 0, total_count: 0, average_amount: 0, last_order_amount: 0 },
    },
    loyalty: { points: 0, referred_customers: 0, campaigns: {} },
    referrals: { total: 0, campaigns: [] },
    metadata,
    system_metadata: {},
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    object: 'customer',
  };
}
