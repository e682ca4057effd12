import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { describeValidationErrors } from '../registry';
import { ZuoraOrderBody } from './zuora-orders';

const valid = {
  orderDate: '2026-11-24',
  existingAccountNumber: 'A00000001',
  subscriptions: [{ orderActions: [{ type: 'CreateSubscription', createSubscription: { subscribeToRatePlans: [{ productRatePlanId: 'PLAN-1' }] } }] }],
};

const errorsOf = (body: Record<string, unknown>) =>
  describeValidationErrors(validateSync(plainToInstance(ZuoraOrderBody, body), { whitelist: true, forbidNonWhitelisted: true }));

describe('ZuoraOrderBody', () => {
  it('accepts the documented subset', () => {
    expect(
      errorsOf({
        ...valid,
        orderNumber: 'O-1',
        processingOptions: { runBilling: true, collectPayment: true },
        previewOptions: { previewTypes: ['BillingDocs'] },
        subscriptions: [
          {
            subscriptionNumber: 'S-1',
            orderActions: [
              {
                type: 'CreateSubscription',
                createSubscription: {
                  subscribeToRatePlans: [{ productRatePlanId: 'PLAN-1', chargeOverrides: [{ productRatePlanChargeId: 'c1', pricing: { recurringPerUnit: { quantity: 3 } } }] }],
                  terms: { initialTerm: { period: 1, periodType: 'Year', termType: 'TERMED' }, autoRenew: true },
                },
              },
            ],
          },
        ],
      }),
    ).toEqual([]);
  });

  it.each([
    ['a date that is not in the calendar', { orderDate: '2026-02-30' }, 'orderDate'],
    ['another date format', { orderDate: '24.11.2026' }, 'orderDate'],
    ['no subscriptions', { subscriptions: [] }, 'subscriptions'],
    ['an amendment action', { subscriptions: [{ orderActions: [{ type: 'UpdateProduct', createSubscription: {} }] }] }, 'subscriptions.0.orderActions.0.type'],
    ['a missing createSubscription', { subscriptions: [{ orderActions: [{ type: 'CreateSubscription' }] }] }, 'subscriptions.0.orderActions.0.createSubscription'],
    ['a zero quantity', { subscriptions: [{ orderActions: [{ type: 'CreateSubscription', createSubscription: { subscribeToRatePlans: [{ productRatePlanId: 'P', chargeOverrides: [{ pricing: { recurringPerUnit: { quantity: 0 } } }] }] } }] }] }, 'quantity'],
    ['a new account without a contact', { existingAccountNumber: undefined, newAccount: { name: 'x', currency: 'USD' } }, 'newAccount.billToContact'],
    ['an unknown field', { bogus: true }, 'bogus'],
  ])('refuses %s', (_what, patch, field) => {
    const errors = errorsOf({ ...valid, ...patch });
    expect(errors.some((e) => e.includes(field))).toBe(true);
  });
});
