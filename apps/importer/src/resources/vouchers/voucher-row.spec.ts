import { parseVoucherRow } from './voucher-row';

const row = (cells: Record<string, string>) => parseVoucherRow(cells, {});

describe('parseVoucherRow', () => {
  it('accepts a full discount voucher row and normalises case and blanks', () => {
    expect(
      row({ code: ' SPRING-1 ', voucher_type: 'discount_voucher', value: '15', discount_type: 'percent', category: 'spring', start_date: '2026-01-01', expiration_date: '2026-02-01T00:00:00Z', redemption_limit: '3', active: 'FALSE', additional_info: '' }),
    ).toEqual({
      ok: true,
      key: 'SPRING-1',
      value: {
        code: 'SPRING-1',
        type: 'DISCOUNT_VOUCHER',
        discountType: 'PERCENT',
        discountValue: '15',
        giftAmount: null,
        category: 'spring',
        startDate: '2026-01-01',
        expirationDate: '2026-02-01T00:00:00Z',
        redemptionLimit: 3,
        active: false,
        additionalInfo: null,
        metadata: {},
      },
    });
  });

  it('stores a gift voucher value as the gift amount', () => {
    const r = row({ code: 'GIFT', voucher_type: 'GIFT_VOUCHER', value: '5000' });
    expect(r).toMatchObject({ ok: true, value: { type: 'GIFT_VOUCHER', giftAmount: '5000', discountValue: null, discountType: null } });
  });

  it.each<[string, Record<string, string>, string]>([
    ['no code', { code: '' }, 'Code is required and must be at most 100 characters'],
    ['a code with spaces', { code: 'A B' }, 'Code must not contain whitespace'],
    ['an unknown voucher type', { code: 'A', voucher_type: 'LOYALTY' }, 'Voucher Type must be one of DISCOUNT_VOUCHER, GIFT_VOUCHER'],
    ['an unknown discount type', { code: 'A', value: '1', discount_type: 'HALF' }, 'Discount Type must be one of AMOUNT, PERCENT, UNIT'],
    ['a value without a discount type', { code: 'A', value: '1' }, 'Discount Type is required when Value is given'],
    ['a negative value', { code: 'A', value: '-1', discount_type: 'AMOUNT' }, 'Value must be a non-negative number'],
    ['a percent over 100', { code: 'A', value: '101', discount_type: 'PERCENT' }, 'Value of a PERCENT discount must be between 0 and 100'],
    ['a gift voucher without value', { code: 'A', voucher_type: 'GIFT_VOUCHER' }, 'Value is required for a GIFT_VOUCHER'],
    ['a fractional gift amount', { code: 'A', voucher_type: 'GIFT_VOUCHER', value: '1.5' }, 'Value of a GIFT_VOUCHER must be an integer amount in cents'],
    ['a bad start date', { code: 'A', start_date: '31/12/2026' }, 'Start Date must be an ISO 8601 date'],
    ['an expiration before the start', { code: 'A', start_date: '2026-02-01', expiration_date: '2026-01-01' }, 'Expiration Date must not be before Start Date'],
    ['a zero redemption limit', { code: 'A', redemption_limit: '0' }, 'Redemption Limit must be a positive integer'],
    ['an active flag that is not boolean', { code: 'A', active: 'yes' }, 'Active must be true or false'],
  ])('rejects %s with a reason naming the column', (_name, cells, reason) => {
    expect(row(cells)).toEqual({ ok: false, key: cells.code?.trim() || null, reason });
  });
});
