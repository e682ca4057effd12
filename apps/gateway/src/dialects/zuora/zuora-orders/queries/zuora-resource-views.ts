import Decimal from 'decimal.js';
import type { ZuoraOrderRecord, ZuoraRatePlanRecord, ZuoraSubscriptionRecord } from '@asyncops/contracts';

/** Zuora's numbers: money to 2 decimals, computed in decimal. */
const money = (v: string | Decimal | null | undefined): number | null => (v === null || v === undefined ? null : new Decimal(v).toDecimalPlaces(2).toNumber());

/** Zuora's timestamp format, `2024-05-01 09:30:00` (UTC). */
export const zuoraDateTime = (iso: string): string => iso.slice(0, 19).replace('T', ' ');

function ratePlan(s: ZuoraSubscriptionRecord, p: ZuoraRatePlanRecord) {
  const termed = s.termType === 'TERMED' && s.termMonths !== null;
  return {
    id: p.id,
    productId: p.productId,
    productSku: p.productRatePlanId,
    productRatePlanId: p.productRatePlanId,
    ratePlanName: p.productRatePlanId,
    lastChangeType: 'Add',
    ratePlanCharges: [
      {
        id: p.id,
        name: p.productRatePlanId,
        type: 'Recurring',
        model: 'PerUnit',
        quantity: p.quantity,
        price: money(p.unitPrice),
        billingPeriod: 'Month',
        currency: s.currency,
        mrr: money(p.amount),
        tcv: termed ? money(new Decimal(p.amount).times(s.termMonths as number)) : null,
        effectiveStartDate: s.startDate,
        effectiveEndDate: s.endDate,
      },
    ],
  };
}

/** `GET /v1/subscriptions/{subscriptionNumber}`: Zuora's subscription, flat with `success`. */
export function toZuoraSubscription(s: ZuoraSubscriptionRecord) {
  const termed = s.termType === 'TERMED' && s.termMonths !== null;
  return {
    success: true,
    id: s.id,
    accountId: s.accountId,
    accountNumber: s.accountNumber,
    accountName: s.accountName,
    subscriptionNumber: s.subscriptionNumber,
    version: 1,
    revision: '1.0',
    status: s.status,
    termType: s.termType,
    initialTerm: termed ? s.termMonths : null,
    initialTermPeriodType: 'Month',
    currentTerm: termed ? s.termMonths : null,
    currentTermPeriodType: 'Month',
    renewalTerm: termed ? s.termMonths : null,
    renewalTermPeriodType: 'Month',
    autoRenew: s.autoRenew,
    contractEffectiveDate: s.startDate,
    serviceActivationDate: s.startDate,
    customerAcceptanceDate: s.startDate,
    subscriptionStartDate: s.startDate,
    subscriptionEndDate: s.endDate,
    termStartDate: s.startDate,
    termEndDate: s.endDate,
    orderNumber: s.orderNumber,
    currency: s.currency,
    contractedMrr: money(s.amount),
    totalContractedValue: termed ? money(new Decimal(s.amount).times(s.termMonths as number)) : null,
    ratePlans: s.ratePlans.map((p) => ratePlan(s, p)),
  };
}

/** `GET /v1/orders/{orderNumber}`: `{success, order}` with the order actions that made each subscription. */
export function toZuoraOrder(o: ZuoraOrderRecord, createdBy: string) {
  return {
    success: true,
    order: {
      orderNumber: o.orderNumber,
      orderDate: o.orderDate,
      createdDate: zuoraDateTime(o.createdDate),
      createdBy,
      updatedDate: zuoraDateTime(o.updatedDate),
      updatedBy: createdBy,
      existingAccountNumber: o.accountNumber,
      currency: o.currency,
      status: o.status,
      description: o.description,
      subscriptions: o.subscriptions.map((s, i) => ({
        subscriptionNumber: s.subscriptionNumber,
        sequence: i,
        orderActions: [
          {
            type: 'CreateSubscription',
            sequence: 0,
            createSubscription: {
              subscriptionNumber: s.subscriptionNumber,
              subscribeToRatePlans: s.ratePlans.map((p) => ({
                productRatePlanId: p.productRatePlanId,
                ratePlanId: p.id,
                chargeOverrides: [{ pricing: { recurringPerUnit: { quantity: p.quantity, listPrice: money(p.unitPrice) } } }],
              })),
              terms: {
                initialTerm: s.termType === 'TERMED' && s.termMonths !== null ? { period: s.termMonths, periodType: 'Month', termType: 'TERMED' } : { termType: 'EVERGREEN' },
                autoRenew: s.autoRenew,
              },
            },
          },
        ],
      })),
      customFields: {},
    },
  };
}
