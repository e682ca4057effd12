import Decimal from 'decimal.js';
import { toMoney } from '../money';

/** Why a step of a sales transaction failed; `code` is stable (tracker errors[].key). */
export class SalesTransactionError extends Error {
  constructor(
    readonly code: 'UNKNOWN_PRODUCT' | 'INACTIVE_PRODUCT' | 'NO_PRICE' | 'NEGATIVE_LINE_AMOUNT' | 'TAX_RATE_NOT_FOUND',
    message: string,
    readonly lineNumbers: number[] = [],
  ) {
    super(message);
    this.name = 'SalesTransactionError';
  }
}

export interface LineToPrice {
  lineNumber: number;
  sku: string;
  quantity: number;
  discountPercent: string | null;
  discountAmount: string | null;
}

export interface PriceBookProduct {
  id: string;
  active: boolean;
  unitPrice: string | null;
}

export interface PricedLine {
  lineNumber: number;
  productId: string;
  listPrice: string;
  listAmount: string;
  adjustment: string;
  netAmount: string;
}

export interface PricedTotals {
  lines: PricedLine[];
  subtotal: string;
  discount: string;
}

/**
 * Prices from the price book with quantity and line adjustments, exact in decimal: list amount =
 * price × quantity; adjustment = list amount × percent / 100 + amount off; net = list − adjustment,
 * never below zero. Every failing line is named, not only the first.
 */
export function priceLines(lines: ReadonlyArray<LineToPrice>, book: ReadonlyMap<string, PriceBookProduct>): PricedTotals {
  const problems: Array<{ line: number; code: SalesTransactionError['code']; why: string }> = [];
  let subtotal = new Decimal(0);
  let discount = new Decimal(0);
  const priced: PricedLine[] = [];
  for (const l of lines) {
    const p = book.get(l.sku);
    if (!p) problems.push({ line: l.lineNumber, code: 'UNKNOWN_PRODUCT', why: `product ${l.sku} does not exist` });
    else if (!p.active) problems.push({ line: l.lineNumber, code: 'INACTIVE_PRODUCT', why: `product ${l.sku} is not active` });
    else if (p.unitPrice === null) problems.push({ line: l.lineNumber, code: 'NO_PRICE', why: `product ${l.sku} has no price in the price book` });
    if (!p || !p.active || p.unitPrice === null) continue;
    const listAmount = new Decimal(p.unitPrice).times(l.quantity);
    const adjustment = listAmount.times(l.discountPercent ?? 0).dividedBy(100).plus(l.discountAmount ?? 0);
    const net = listAmount.minus(adjustment);
    if (net.isNegative()) {
      problems.push({ line: l.lineNumber, code: 'NEGATIVE_LINE_AMOUNT', why: `adjustments (${toMoney(adjustment)}) exceed the line amount (${toMoney(listAmount)})` });
      continue;
    }
    subtotal = subtotal.plus(listAmount);
    discount = discount.plus(adjustment);
    priced.push({ lineNumber: l.lineNumber, productId: p.id, listPrice: toMoney(p.unitPrice), listAmount: toMoney(listAmount), adjustment: toMoney(adjustment), netAmount: toMoney(net) });
  }
  if (problems.length) {
    const text = problems.slice(0, 10).map((p) => `line ${p.line}: ${p.why}`).join('; ') + (problems.length > 10 ? `; and ${problems.length - 10} more` : '');
    throw new SalesTransactionError(problems[0].code, text, problems.map((p) => p.line));
  }
  return { lines: priced, subtotal: toMoney(subtotal), discount: toMoney(discount) };
}

export interface TaxRateRow {
  country: string;
  region: string;
  rate: string;
}

/** The region's rate when the table has one, else the country-wide rate (region ''). */
export function findTaxRate(rates: ReadonlyArray<TaxRateRow>, country: string, region: string | null): string {
  const exact = region ? rates.find((r) => r.country === country && r.region === region) : undefined;
  const found = exact ?? rates.find((r) => r.country === country && r.region === '');
  if (!found) throw new SalesTransactionError('TAX_RATE_NOT_FOUND', `no tax rate for ship-to ${country}${region ? `-${region}` : ''}`);
  return found.rate;
}

export interface TaxedLine {
  lineNumber: number;
  taxAmount: string;
}

/**
 * Tax per line on its net amount, rounded half-up to the cent per line (as an invoice shows it),
 * and the totals as the sums of the lines, so lines and header always agree.
 */
export function computeTax(lines: ReadonlyArray<{ lineNumber: number; netAmount: string }>, rate: string): { lines: TaxedLine[]; tax: string; net: string; total: string } {
  let tax = new Decimal(0);
  let net = new Decimal(0);
  const taxed = lines.map((l) => {
    const t = new Decimal(l.netAmount).times(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    tax = tax.plus(t);
    net = net.plus(l.netAmount);
    return { lineNumber: l.lineNumber, taxAmount: toMoney(t) };
  });
  return { lines: taxed, tax: toMoney(tax), net: toMoney(net), total: toMoney(net.plus(tax)) };
}
