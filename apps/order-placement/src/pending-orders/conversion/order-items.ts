import Decimal from 'decimal.js';
import type { OrderItemSummaryView } from '@asyncops/contracts';
import { ConversionError } from '../pending-order-errors';

export const MAX_ORDER_ITEMS = 1000;
const SKU = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const AMOUNT = /^-?\d{1,16}(\.\d{1,2})?$/;
const QUANTITY = /^\d{1,14}(\.\d{1,4})?$/;

/** A line as conversion stores it, which is how an OrderSummary later shows it. */
export type OrderItemLine = OrderItemSummaryView;

const decimalText = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

/**
 * A non-negative decimal text (already matched by its pattern) as an exact integer count of
 * 10^-scale units; undefined when that integer would not be exact in a double.
 */
function scaledUnits(text: string, scale: number): number | undefined {
  const dot = text.indexOf('.');
  const digits = dot < 0 ? text + '0'.repeat(scale) : text.slice(0, dot) + text.slice(dot + 1).padEnd(scale, '0');
  return digits.length <= 15 ? Number(digits) : undefined;
}

const fixed = (units: number, scale: number): string => {
  const unit = 10 ** scale;
  return `${Math.floor(units / unit)}.${String(units % unit).padStart(scale, '0')}`;
};

/**
 * quantity × unit price rounded half-even to cents. Amounts of an everyday size are computed as
 * exact integers (a chunk converts thousands of lines); negative prices and amounts too large for
 * exact integers take decimal.js. Both give the same digits.
 */
function priceLine(quantityText: string, unitPriceText: string): { quantity: string; unitPrice: string; totalPrice: string } | undefined {
  const q = scaledUnits(quantityText, 4);
  const p = unitPriceText.startsWith('-') ? undefined : scaledUnits(unitPriceText, 2);
  if (q !== undefined && p !== undefined && q * p <= Number.MAX_SAFE_INTEGER) {
    if (q === 0) return undefined;
    const micro = q * p;
    let cents = Math.floor(micro / 10_000);
    const rest = micro - cents * 10_000;
    if (rest > 5_000 || (rest === 5_000 && cents % 2 === 1)) cents += 1;
    return { quantity: fixed(q, 4), unitPrice: fixed(p, 2), totalPrice: fixed(cents, 2) };
  }
  const quantity = new Decimal(quantityText);
  if (quantity.lte(0)) return undefined;
  const unitPrice = new Decimal(unitPriceText);
  return { quantity: quantity.toFixed(4), unitPrice: unitPrice.toFixed(2), totalPrice: quantity.times(unitPrice).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2) };
}

/**
 * The order items a payload carries: `{"orderItems":[{"sku","quantity","unitPrice","description"?}]}`.
 * Amounts are exact decimals (strings, or JSON numbers that print back unchanged); a line's total
 * is quantity × unit price rounded half-even to cents.
 */
export function orderItemsOf(payload: Record<string, unknown>): OrderItemLine[] {
  const items = payload.orderItems;
  if (!Array.isArray(items) || items.length === 0) throw new ConversionError('INVALID_ORDER_ITEMS', 'Payload: orderItems must be a non-empty array');
  if (items.length > MAX_ORDER_ITEMS) throw new ConversionError('INVALID_ORDER_ITEMS', `Payload: at most ${MAX_ORDER_ITEMS} orderItems`);
  return items.map((raw, i) => {
    const at = () => `Payload: orderItems[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ConversionError('INVALID_ORDER_ITEMS', `${at()}: must be an object`);
    const item = raw as Record<string, unknown>;
    if (typeof item.sku !== 'string' || !SKU.test(item.sku)) throw new ConversionError('INVALID_ORDER_ITEMS', `${at()}.sku: must be a SKU of 1..64 letters, digits or ._:/-`);
    const quantity = decimalText(item.quantity);
    if (quantity === undefined || !QUANTITY.test(quantity)) throw new ConversionError('INVALID_ORDER_ITEMS', `${at()}.quantity: must be a positive decimal`);
    const unitPrice = decimalText(item.unitPrice);
    if (unitPrice === undefined || !AMOUNT.test(unitPrice)) throw new ConversionError('INVALID_ORDER_ITEMS', `${at()}.unitPrice: must be a decimal amount with at most 2 decimals`);
    if (item.description !== undefined && item.description !== null && (typeof item.description !== 'string' || item.description.length > 255)) {
      throw new ConversionError('INVALID_ORDER_ITEMS', `${at()}.description: must be a string of at most 255 characters`);
    }
    const amounts = priceLine(quantity, unitPrice);
    if (!amounts) throw new ConversionError('INVALID_ORDER_ITEMS', `${at()}.quantity: must be a positive decimal`);
    return { line: i + 1, sku: item.sku, description: typeof item.description === 'string' ? item.description : null, ...amounts };
  });
}

export function totalOf(lines: readonly OrderItemLine[]): string {
  let cents = 0;
  for (const l of lines) {
    const units = l.totalPrice.startsWith('-') ? undefined : scaledUnits(l.totalPrice, 2);
    if (units === undefined || cents + units > Number.MAX_SAFE_INTEGER) return lines.reduce((acc, x) => acc.plus(x.totalPrice), new Decimal(0)).toFixed(2);
    cents += units;
  }
  return fixed(cents, 2);
}
