import Decimal from 'decimal.js';
import type { ZuoraOrderBody } from '@asyncops/contracts';
import { toMoney } from '../money';
import { ZUORA_INVALID_VALUE, ZUORA_NOT_FOUND, ZUORA_RULE_RESTRICTION, ZuoraJobError } from './zuora-job-errors';

export interface PriceBookEntry {
  id: string;
  sku: string;
  active: boolean;
  unitPrice: string | null;
  subscriptionMonths: number | null;
}

export interface PricedRatePlan {
  productId: string;
  sku: string;
  quantity: number;
  unitPrice: string;
  amount: string;
  position: number;
}

export interface PricedSubscription {
  requestedNumber: string | null;
  termType: 'TERMED' | 'EVERGREEN';
  termMonths: number | null;
  ratePlans: PricedRatePlan[];
  amount: string;
}

export interface PricedOrder {
  subscriptions: PricedSubscription[];
  total: string;
}

/** Rules a body can break that class-validator cannot express (they span several fields). */
export function checkOrderRules(order: ZuoraOrderBody): void {
  if (!!order.existingAccountNumber === !!order.newAccount) {
    throw new ZuoraJobError(ZUORA_RULE_RESTRICTION, 'Exactly one of existingAccountNumber and newAccount must be given.');
  }
  if (order.processingOptions?.collectPayment && !order.processingOptions.runBilling) {
    throw new ZuoraJobError(ZUORA_RULE_RESTRICTION, 'processingOptions.collectPayment requires processingOptions.runBilling.');
  }
  const numbers = order.subscriptions.map((s) => s.subscriptionNumber).filter((n): n is string => !!n);
  const dup = numbers.find((n, i) => numbers.indexOf(n) !== i);
  if (dup) throw new ZuoraJobError(ZUORA_RULE_RESTRICTION, `subscriptionNumber ${dup} appears more than once in the order.`);
}

/** Every SKU the order's rate plans name, once each. */
export function ratePlanSkus(order: ZuoraOrderBody): string[] {
  return [...new Set(order.subscriptions.flatMap((s) => s.orderActions.flatMap((a) => a.createSubscription.subscribeToRatePlans.map((r) => r.productRatePlanId))))];
}

/**
 * Prices each subscription from the price book: unit price × quantity per rate plan, exact in
 * decimal. A recurring price is per billing period (one month), so the subscription amount is
 * what one period costs; the invoice bills the first period.
 */
export function priceOrder(order: ZuoraOrderBody, priceBook: ReadonlyMap<string, PriceBookEntry>): PricedOrder {
  let total = new Decimal(0);
  const subscriptions = order.subscriptions.map((s, si) => {
    const create = s.orderActions[0].createSubscription;
    const term = create.terms?.initialTerm;
    let amount = new Decimal(0);
    const ratePlans = create.subscribeToRatePlans.map((r, ri) => {
      const path = `subscriptions[${si}].orderActions[0].createSubscription.subscribeToRatePlans[${ri}]`;
      const product = priceBook.get(r.productRatePlanId);
      if (!product) throw new ZuoraJobError(ZUORA_NOT_FOUND, `${path}.productRatePlanId: product rate plan ${r.productRatePlanId} does not exist.`);
      if (!product.active) throw new ZuoraJobError(ZUORA_INVALID_VALUE, `${path}.productRatePlanId: product rate plan ${r.productRatePlanId} is not active.`);
      if (product.unitPrice === null) throw new ZuoraJobError(ZUORA_INVALID_VALUE, `${path}.productRatePlanId: product rate plan ${r.productRatePlanId} has no price.`);
      const quantity = r.chargeOverrides?.[0]?.pricing?.recurringPerUnit?.quantity ?? 1;
      const line = new Decimal(product.unitPrice).times(quantity);
      amount = amount.plus(line);
      return { productId: product.id, sku: product.sku, quantity, unitPrice: toMoney(product.unitPrice), amount: toMoney(line), position: ri };
    });
    total = total.plus(amount);
    const termType = term?.termType ?? 'TERMED';
    const termMonths = termType === 'EVERGREEN' ? null : term ? term.period * (term.periodType === 'Year' ? 12 : 1) : (priceBook.get(ratePlans[0].sku)?.subscriptionMonths ?? 12);
    return { requestedNumber: s.subscriptionNumber ?? null, termType, termMonths, ratePlans, amount: toMoney(amount) };
  });
  return { subscriptions, total: toMoney(total) };
}

/** Zuora reports amounts as JSON numbers; two decimals as on its invoices. */
export function zuoraAmount(money: string): number {
  return new Decimal(money).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toNumber();
}
