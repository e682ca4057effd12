import Decimal from 'decimal.js';

/** numeric(18,4) columns hold at most 14 integer digits and 4 decimals. */
export const MONEY_SCALE = 4;

/** The decimal string a numeric(18,4) column stores; Decimal never goes through a JS float. */
export function toMoney(d: Decimal.Value): string {
  return new Decimal(d).toDecimalPlaces(MONEY_SCALE, Decimal.ROUND_HALF_EVEN).toFixed(MONEY_SCALE);
}

export function sumMoney(values: Decimal.Value[]): string {
  return toMoney(values.reduce<Decimal>((acc, v) => acc.plus(v), new Decimal(0)));
}

/** A decimal text with at most four decimals, as numeric(18,4) prints and clients send amounts. */
const AT_MOST_FOUR_DECIMALS = /^(-?)(\d{1,15})(?:\.(\d{1,4}))?$/;

/**
 * An amount as an exact integer count of 10^-4 units, for arithmetic on everyday amounts without
 * decimal.js (a placement batch prices hundreds of lines); undefined when the text has more than
 * four decimals or the integer would not be exact in a double. Callers fall back to decimal.js then.
 */
export function moneyUnits(text: string): number | undefined {
  const m = AT_MOST_FOUR_DECIMALS.exec(text);
  if (!m) return undefined;
  const digits = m[2] + (m[3] ?? '').padEnd(MONEY_SCALE, '0');
  if (digits.length > 15) return undefined;
  const n = Number(digits);
  return m[1] && n !== 0 ? -n : n;
}

/** The numeric(18,4) text of an integer count of 10^-4 units (a safe integer). */
export function unitsToMoney(units: number): string {
  const a = Math.abs(units);
  return `${units < 0 ? '-' : ''}${Math.floor(a / 10_000)}.${String(a % 10_000).padStart(MONEY_SCALE, '0')}`;
}
