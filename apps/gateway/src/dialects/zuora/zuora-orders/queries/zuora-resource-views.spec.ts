import type { ZuoraSubscriptionRecord } from '@asyncops/contracts';
import { toZuoraOrder, toZuoraSubscription, zuoraDateTime } from './zuora-resource-views';

const sub = (over: Partial<ZuoraSubscriptionRecord> = {}): ZuoraSubscriptionRecord => ({
  id: 's-1',
  subscriptionNumber: 'A-S00000001',
  accountId: 'a-1',
  accountNumber: 'A00000001',
  accountName: 'Acme',
  orderNumber: 'O-00000001',
  currency: 'USD',
  status: 'Active',
  termType: 'TERMED',
  termMonths: 12,
  autoRenew: true,
  startDate: '2026-11-24',
  endDate: '2027-11-24',
  amount: '27.5000',
  createdDate: '2026-11-24T10:00:00.000Z',
  ratePlans: [{ id: 'rp-1', productId: 'p-1', productRatePlanId: 'PLAN-BASIC', quantity: 3, unitPrice: '3.3333', amount: '9.9999' }],
  ...over,
});

describe('Zuora resource views', () => {
  it('formats a termed subscription: money to 2 decimals, tcv over the term', () => {
    expect(toZuoraSubscription(sub())).toMatchObject({
      success: true,
      subscriptionNumber: 'A-S00000001',
      termType: 'TERMED',
      initialTerm: 12,
      autoRenew: true,
      subscriptionEndDate: '2027-11-24',
      contractedMrr: 27.5,
      totalContractedValue: 330,
      ratePlans: [{ productRatePlanId: 'PLAN-BASIC', ratePlanCharges: [{ quantity: 3, price: 3.33, mrr: 10, tcv: 120 }] }],
    });
  });

  it('formats an evergreen subscription without term figures', () => {
    expect(toZuoraSubscription(sub({ termType: 'EVERGREEN', termMonths: null, endDate: null }))).toMatchObject({ initialTerm: null, totalContractedValue: null, subscriptionEndDate: null });
  });

  it('formats an order with the create-subscription action of each subscription', () => {
    const view = toZuoraOrder(
      { orderNumber: 'O-00000001', orderDate: '2026-11-24', accountNumber: 'A00000001', currency: 'USD', status: 'Completed', description: null, total: '27.5000', createdDate: '2026-11-24T10:00:00.123Z', updatedDate: '2026-11-24T10:00:01.000Z', subscriptions: [sub()] },
      'client-1',
    );
    expect(view).toMatchObject({
      success: true,
      order: {
        orderNumber: 'O-00000001',
        createdDate: '2026-11-24 10:00:00',
        existingAccountNumber: 'A00000001',
        subscriptions: [
          {
            subscriptionNumber: 'A-S00000001',
            orderActions: [{ type: 'CreateSubscription', createSubscription: { subscribeToRatePlans: [{ productRatePlanId: 'PLAN-BASIC', chargeOverrides: [{ pricing: { recurringPerUnit: { quantity: 3, listPrice: 3.33 } } }] }], terms: { initialTerm: { period: 12, periodType: 'Month', termType: 'TERMED' }, autoRenew: true } } }],
          },
        ],
      },
    });
  });

  it('writes timestamps the way Zuora does', () => {
    expect(zuoraDateTime('2026-01-02T03:04:05.678Z')).toBe('2026-01-02 03:04:05');
  });
});
