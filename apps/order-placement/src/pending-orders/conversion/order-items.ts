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
 * The order items a payload carries: `{"orderItems":[{"sku","quantity","unitPrice","description"?}]}`.
 * Amounts are exact decimals (strings, or JSON numbers that print back unchanged); a line's total
 * is quantity × unit price rounded half-even to cents.
 */
export function orderItemsOf(payload: Record<string, unknown>): OrderItemLine[] {
  const items = payload.orderItems;
  if (!Array.isArray(items) || items.length === 0) throw new ConversionError('INVALID_ORDER_ITEMS', 'Payload: orderItems must be a non-empty array');
  if (items.length > MAX_ORDER_ITEMS) throw new ConversionError('INVALID_ORDER_ITEMS', `Payload: at most ${MAX_ORDER_ITEMS} orderItems`);
  return items.map((raw, i) => {
    const at = `Payload: orderItems[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ConversionError('INVALID_ORDER_ITEMS', `${at}: must be an object`);
    const item = raw as Record<string, unknown>;
    if (typeof item.sku !== 'string' || !SKU.test(item.sku)) throw new ConversionError('INVALID_ORDER_ITEMS', `${at}.sku: must be a SKU of 1..64 letters, digits or ._:/-`);
    const quantityText = decimalText(item.quantity);
    // Each amount is parsed once: a chunk of orders has thousands of lines.
    const quantity = quantityText !== undefined && QUANTITY.test(quantityText) ? new Decimal(quantityText) : undefined;
    if (quantity === undefined || quantity.lte(0)) throw new ConversionError('INVALID_ORDER_ITEMS', `${at}.quantity: must be a positive decimal`);
    const unitPriceText = decimalText(item.unitPrice);
    if (unitPriceText === undefined || !AMOUNT.test(unitPriceText)) throw new ConversionError('INVALID_ORDER_ITEMS', `${at}.unitPrice: must be a decimal amount with at most 2 decimals`);
    const unitPrice = new Decimal(unitPriceText);
    if (item.description !== undefined && item.description !== null && (typeof item.description !== 'string' || item.description.length > 255)) {
      throw new ConversionError('INVALID_ORDER_ITEMS', `${at}.description: must be a string of at most 255 characters`);
    }
    return {
      line: i + 1,
      sku: item.sku,
      description: typeof item.description === 'string' ? item.description : null,
      quantity: quantity.toFixed(4),
      unitPrice: unitPrice.toFixed(2),
      totalPrice: quantity.times(unitPrice).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2),
    };
  });
}

export function totalOf(lines: readonly OrderItemLine[]): string {
  return lines.reduce((acc, l) => acc.plus(l.totalPrice), new Decimal(0)).toFixed(2);
}
