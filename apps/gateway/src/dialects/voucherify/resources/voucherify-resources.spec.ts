import { campaignKey } from '../campaigns/campaign-vouchers.controller';
import { toVoucherifyCampaign, toVoucherifyCustomer, toVoucherifyVoucher } from './voucherify-resources';

const UUID = '3f2c1b0a-9e8d-4c7b-a6f5-0123456789ab';
const HEX = '3f2c1b0a9e8d4c7ba6f50123456789ab';

describe('Voucherify resource shapes', () => {
  const voucherRow = {
    id: UUID,
    code: 'SPRING 1',
    campaign_id: UUID,
    campaign_name: 'spring',
    type: 'DISCOUNT_VOUCHER',
    discount_type: 'PERCENT',
    discount_value: '15.0000',
    gift_amount: null,
    category: 'seasonal',
    start_date: '2027-01-01T00:00:00.000Z',
    expiration_date: null,
    redemption_limit: 3,
    active: true,
    additional_info: null,
    metadata: { wave: 1 },
    created_at: '2026-12-01T10:00:00.000Z',
    updated_at: null,
  };

  it('formats a discount voucher with prefixed ids, the discount under its type, and redemption links', () => {
    expect(toVoucherifyVoucher(voucherRow)).toMatchObject({
      id: `v_${HEX}`,
      code: 'SPRING 1',
      campaign: 'spring',
      campaign_id: `camp_${HEX}`,
      discount: { type: 'PERCENT', percent_off: 15 },
      gift: null,
      start_date: '2027-01-01T00:00:00.000Z',
      expiration_date: null,
      redemption: { quantity: 3, redeemed_quantity: 0, url: '/v1/vouchers/SPRING%201/redemptions?page=1&limit=10' },
      metadata: { wave: 1 },
      object: 'voucher',
    });
  });

  it.each([
    ['AMOUNT', { type: 'AMOUNT', amount_off: 500 }],
    ['UNIT', { type: 'UNIT', unit_off: 500 }],
  ])('puts a %s discount under its own key', (type, discount) => {
    expect(toVoucherifyVoucher({ ...voucherRow, discount_type: type, discount_value: '500' }).discount).toMatchObject(discount);
  });

  it('formats a gift voucher with its amount and no discount', () => {
    expect(toVoucherifyVoucher({ ...voucherRow, type: 'GIFT_VOUCHER', discount_type: null, gift_amount: '2500' })).toMatchObject({ discount: null, gift: { amount: 2500, balance: 2500 } });
  });

  it('formats a campaign with its voucher count', () => {
    expect(toVoucherifyCampaign({ id: UUID, name: 'spring', type: 'DISCOUNT_COUPONS', vouchers_count: 3, active: false, category: 'summer', metadata: {}, created_at: '2026-12-01T10:00:00Z' })).toMatchObject({
      id: `camp_${HEX}`,
      name: 'spring',
      campaign_type: 'DISCOUNT_COUPONS',
      vouchers_count: 3,
      active: false,
      category: 'summer',
      created_at: '2026-12-01T10:00:00.000Z',
      object: 'campaign',
    });
  });

  it('formats a customer: description out of metadata, the address in Voucherify’s keys, the birthdate as sent', () => {
    expect(
      toVoucherifyCustomer({ id: UUID, source_id: 'c-1', name: 'Alice', metadata: { description: 'VIP', tier: 'gold' }, address: { city: 'Warsaw', line_1: 'Main 1' }, birthdate_text: '1990-02-03' }),
    ).toMatchObject({
      id: `cust_${HEX}`,
      source_id: 'c-1',
      description: 'VIP',
      metadata: { tier: 'gold' },
      address: { city: 'Warsaw', line_1: 'Main 1', country: null },
      birthdate: '1990-02-03',
      object: 'customer',
    });
  });

  it('names a campaign by name, uuid or camp_ id', () => {
    expect(campaignKey('spring')).toBe('spring');
    expect(campaignKey(UUID)).toBe(UUID);
    expect(campaignKey(`camp_${HEX}`)).toBe(UUID);
    expect(campaignKey('camp_xyz')).toBe('camp_xyz');
  });
});
