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
