import { plainToInstance } from 'class-transformer';
import { ZuoraOrderBody } from '@asyncops/contracts';
import { ZuoraJobError } from './zuora-job-errors';
import { checkOrderRules, PriceBookEntry, priceOrder, ratePlanSkus, zuoraAmount } from './zuora-pricing';

const book = new Map<string, PriceBookEntry>(
  [
    { id: 'p1', sku: 'BASIC', active: true, unitPrice: '0.1000', subscriptionMonths: 24 },
    { id: 'p2', sku: 'SEAT', active: true, unitPrice: '0.2000', subscriptionMonths: null },
    { id: 'p3', sku: 'OLD', active: false, unitPrice: '1.0000', subscriptionMonths: null },
    { id: 'p4', sku: 'FREE', active: true, unitPrice: null, subscriptionMonths: null },
  ].map((e) => [e.sku, e]),
);

const sub = (plans: Array<[string, number?]>, terms?: Record<string, unknown>) => ({
  orderActions: [
    {
      type: 'CreateSubscription',
      createSubscription: {
        subscribeToRatePlans: plans.map(([id, q]) => ({ productRatePlanId: id, ...(q ? { chargeOverrides: [{ pricing: { recurringPerUnit: { quantity: q } } }] } : {}) })),
        ...(terms ? { terms: { initialTerm: terms } } : {}),
      },
    },
  ],
});

const body = (patch: Record<string, unknown>) => plainToInstance(ZuoraOrderBody, { orderDate: '2026-11-24', existingAccountNumber: 'A1', subscriptions: [sub([['BASIC']])], ...patch });

describe('priceOrder', () => {
  it('prices quantity × unit price exactly in decimal (0.1 × 3 + 0.2 × 3 is 0.9, not 0.9000000000000001)', () => {
    const priced = priceOrder(body({ subscriptions: [sub([['BASIC', 3], ['SEAT', 3]]), sub([['SEAT']], { period: 2, periodType: 'Year', termType: 'TERMED' })] }), book);
    expect(priced.subscriptions.map((s) => s.amount)).toEqual(['0.9000', '0.2000']);
    expect(priced.total).toBe('1.1000');
    expect(priced.subscriptions[0].ratePlans).toEqual([
      { productId: 'p1', sku: 'BASIC', quantity: 3, unitPrice: '0.1000', amount: '0.3000', position: 0 },
      { productId: 'p2', sku: 'SEAT', quantity: 3, unitPrice: '0.2000', amount: '0.6000', position: 1 },
    ]);
    // Without terms the product's own term applies; years become months.
    expect(priced.subscriptions.map((s) => s.termMonths)).toEqual([24, 24]);
  });

  it('has no term length for an evergreen subscription', () => {
    expect(priceOrder(body({ subscriptions: [sub([['SEAT']], { period: 1, periodType: 'Month', termType: 'EVERGREEN' })] }), book).subscriptions[0].termMonths).toBeNull();
  });

  it.each([
    ['NOPE', '50000040', /does not exist/],
    ['OLD', '53100020', /not active/],
    ['FREE', '53100020', /no price/],
  ])('fails on %s with %s', (sku, code, message) => {
    try {
      priceOrder(body({ subscriptions: [sub([['BASIC'], [sku]])] }), book);
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(ZuoraJobError);
      expect((e as ZuoraJobError).code).toBe(code);
      expect((e as ZuoraJobError).message).toMatch(message);
      expect((e as ZuoraJobError).message).toContain('subscribeToRatePlans[1].productRatePlanId');
    }
  });

  it('lists each SKU once', () => {
    expect(ratePlanSkus(body({ subscriptions: [sub([['BASIC'], ['SEAT']]), sub([['SEAT']])] }))).toEqual(['BASIC', 'SEAT']);
  });

  it('reports amounts as Zuora numbers with two decimals', () => {
    expect(zuoraAmount('1.1000')).toBe(1.1);
    expect(zuoraAmount('0.0050')).toBe(0);
    expect(zuoraAmount('0.0150')).toBe(0.02);
  });
});

describe('checkOrderRules', () => {
  it.each([
    [{ existingAccountNumber: undefined }, /Exactly one of existingAccountNumber and newAccount/],
    [{ newAccount: { name: 'x', currency: 'USD', billToContact: { firstName: 'a', lastName: 'b' } } }, /Exactly one/],
    [{ processingOptions: { collectPayment: true } }, /collectPayment requires/],
    [{ subscriptions: [{ ...sub([['BASIC']]), subscriptionNumber: 'S1' }, { ...sub([['SEAT']]), subscriptionNumber: 'S1' }] }, /S1 appears more than once/],
  ])('refuses %j with 53100030', (patch, message) => {
    expect(() => checkOrderRules(body(patch))).toThrow(message);
    try {
      checkOrderRules(body(patch));
    } catch (e) {
      expect((e as ZuoraJobError).code).toBe('53100030');
    }
  });

  it('accepts a well-formed order', () => {
    expect(() => checkOrderRules(body({ processingOptions: { runBilling: true, collectPayment: true } }))).not.toThrow();
  });
});
