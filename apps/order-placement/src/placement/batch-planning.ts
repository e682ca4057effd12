import Decimal from 'decimal.js';
import { InvalidItem } from '../errors';
import { moneyUnits, toMoney, unitsToMoney } from '../money';

export type CartItemKind = 'major' | 'minor' | 'coupon';

/** A cart item of the batch as retrieveCartItems reads it, joined with its product. */
export interface BatchCartItem {
  id: string;
  kind: CartItemKind;
  parentId: string | null;
  productId: string;
  sku: string;
  quantity: number;
  /** Decimal string; null when the item was added without a price and the product had none. */
  unitPrice: string | null;
  position: number;
  subPosition: number;
  updatedAt: Date;
  productActive: boolean;
  productUnitPrice: string | null;
  priceBookUpdatedAt: Date;
}

export interface BatchSelection<T> {
  batch: T[];
  /** More major items or coupons follow this batch. */
  hasMore: boolean;
  /** The position to persist as the placement cursor; null for an empty batch. */
  cursor: number | null;
}

/**
 * retrieveCartItems reads one head more than the batch size so the last batch is recognised
 * without a second query (and a cart whose size is a multiple of the batch size needs no
 * trailing empty batch).
 */
export function splitBatch<T extends { position: number }>(headsPlusOne: T[], batchSize: number): BatchSelection<T> {
  const batch = headsPlusOne.slice(0, batchSize);
  return { batch, hasMore: headsPlusOne.length > batchSize, cursor: batch.length ? batch[batch.length - 1].position : null };
}

/** Batch size counts major items and coupons only; minor items ride along with their parent. */
export function countsTowardBatch(kind: CartItemKind): boolean {
  return kind !== 'minor';
}

/** checkForInvalidItems: every reason an item cannot become an order item, one entry per item. */
export function findInvalidItems(items: BatchCartItem[], submittedAt: Date): InvalidItem[] {
  const out: InvalidItem[] = [];
  for (const item of items) {
    const reasons: string[] = [];
    if (!item.productActive) reasons.push('product is inactive');
    if (item.quantity <= 0) reasons.push(`quantity must be greater than 0 (is ${item.quantity})`);
    if (item.unitPrice === null) reasons.push('item has no price');
    if (item.updatedAt.getTime() > submittedAt.getTime()) reasons.push('item changed after the placement was submitted');
    if (reasons.length) out.push({ cartItemId: item.id, sku: item.sku, reason: reasons.join('; ') });
  }
  return out;
}

export type PricingDecision =
  | { outcome: 'current' }
  | { outcome: 'repriced'; prices: Map<string, string> }
  | { outcome: 'stale'; items: InvalidItem[] }
  | { outcome: 'pricing-failed'; items: InvalidItem[] };

/**
 * Items whose product's price book changed after the cart was priced are stale. With repricing
 * allowed they take the product's current price (none → PRICING_FOR_ORDER_FAILED); without it
 * the placement must not silently charge an out-of-date price.
 */
export function decidePricing(items: BatchCartItem[], pricesAsOf: Date, allowRepricing: boolean): PricingDecision {
  const stale = items.filter((i) => i.priceBookUpdatedAt.getTime() > pricesAsOf.getTime());
  if (!stale.length) return { outcome: 'current' };
  if (!allowRepricing) {
    return { outcome: 'stale', items: stale.map((i) => ({ cartItemId: i.id, sku: i.sku, reason: 'price is older than the price book' })) };
  }
  const missing = stale.filter((i) => i.productUnitPrice === null);
  if (missing.length) {
    return { outcome: 'pricing-failed', items: missing.map((i) => ({ cartItemId: i.id, sku: i.sku, reason: 'product has no price in the price book' })) };
  }
  return { outcome: 'repriced', prices: new Map(stale.map((i) => [i.id, i.productUnitPrice as string])) };
}

/** What createOrderItem produces for one cart item. */
export interface OrderLine {
  id: string;
  cartItemId: string;
  kind: CartItemKind;
  parentOrderItemId: string | null;
  productId: string;
  sku: string;
  position: number;
  subPosition: number;
  quantity: number;
  unitPrice: string;
  lineTotal: string;
  repriced: boolean;
}

/**
 * Coupons are stored as a discount: their line total is negative whatever sign their price
 * was entered with, so a coupon can never raise the total.
 */
export function lineTotal(kind: CartItemKind, quantity: number, unitPrice: string): string {
  // Exact integers for everyday amounts: a price of at most four decimals times a whole quantity
  // needs no rounding, and the product is exact while it is a safe integer.
  const units = moneyUnits(unitPrice);
  if (units !== undefined && Number.isSafeInteger(units * quantity)) {
    const total = units * quantity;
    return unitsToMoney(kind === 'coupon' ? -Math.abs(total) : total);
  }
  const amount = new Decimal(unitPrice).mul(quantity);
  return toMoney(kind === 'coupon' ? amount.abs().neg() : amount);
}

/** processCartItems/createOrderItem: order lines for a checked batch, minor items under their parent's line. */
export function buildOrderLines(items: BatchCartItem[], repricedPrices: Map<string, string>, newId: () => string): OrderLine[] {
  const lineIdByCartItem = new Map<string, string>();
  const heads = items.filter((i) => i.parentId === null);
  const minors = items.filter((i) => i.parentId !== null);
  const toLine = (i: BatchCartItem, parentOrderItemId: string | null): OrderLine => {
    const repriced = repricedPrices.get(i.id);
    const price = repriced ?? (i.unitPrice as string);
    const units = moneyUnits(price);
    const unitPrice = units === undefined ? toMoney(price) : unitsToMoney(units);
    const id = newId();
    lineIdByCartItem.set(i.id, id);
    return {
      id,
      cartItemId: i.id,
      kind: i.kind,
      parentOrderItemId,
      productId: i.productId,
      sku: i.sku,
      position: i.position,
      subPosition: i.subPosition,
      quantity: i.quantity,
      unitPrice,
      lineTotal: lineTotal(i.kind, i.quantity, unitPrice),
      repriced: repriced !== undefined,
    };
  };
  const lines = heads.map((h) => toLine(h, null));
  for (const m of minors) {
    const parent = lineIdByCartItem.get(m.parentId as string);
    if (!parent) throw new Error(`minor item ${m.id} arrived without its major item ${m.parentId}`);
    lines.push(toLine(m, parent));
  }
  return lines;
}

export interface Totals {
  subtotal: string;
  discount: string;
  total: string;
}

/** processOrderGroups: the running order totals after adding a batch's lines. */
export function addToTotals(current: Pick<Totals, 'subtotal' | 'discount'>, lines: Pick<OrderLine, 'kind' | 'lineTotal'>[]): Totals {
  const exact = addToTotalsInUnits(current, lines);
  if (exact) return exact;
  let subtotal = new Decimal(current.subtotal);
  let discount = new Decimal(current.discount);
  for (const l of lines) {
    if (l.kind === 'coupon') discount = discount.plus(new Decimal(l.lineTotal).abs());
    else subtotal = subtotal.plus(l.lineTotal);
  }
  return { subtotal: toMoney(subtotal), discount: toMoney(discount), total: toMoney(subtotal.minus(discount)) };
}

/** addToTotals in exact integer units; undefined when an amount or a sum leaves that range. */
function addToTotalsInUnits(current: Pick<Totals, 'subtotal' | 'discount'>, lines: Pick<OrderLine, 'kind' | 'lineTotal'>[]): Totals | undefined {
  let subtotal = moneyUnits(current.subtotal);
  let discount = moneyUnits(current.discount);
  if (subtotal === undefined || discount === undefined) return undefined;
  for (const l of lines) {
    const units = moneyUnits(l.lineTotal);
    if (units === undefined) return undefined;
    if (l.kind === 'coupon') discount += Math.abs(units);
    else subtotal += units;
    // Every partial sum exact, not only the last.
    if (!Number.isSafeInteger(subtotal) || !Number.isSafeInteger(discount)) return undefined;
  }
  const total = subtotal - discount;
  if (!Number.isSafeInteger(total)) return undefined;
  return { subtotal: unitsToMoney(subtotal), discount: unitsToMoney(discount), total: unitsToMoney(total) };
}
