import { moneyUnits, sumMoney, toMoney, unitsToMoney } from './money';

describe('money', () => {
  it('keeps four decimals, rounding half to even', () => {
    expect(toMoney('1.23455')).toBe('1.2346');
    expect(toMoney('1.23445')).toBe('1.2344');
    expect(toMoney(3)).toBe('3.0000');
  });

  it('sums decimal strings exactly', () => {
    expect(sumMoney(['0.1', '0.2'])).toBe('0.3000');
    expect(sumMoney([])).toBe('0.0000');
  });

  it('reads amounts of at most four decimals as exact 10^-4 units and prints them back as numeric(18,4) does', () => {
    expect(moneyUnits('12.5')).toBe(125_000);
    expect(moneyUnits('-0.0001')).toBe(-1);
    expect(moneyUnits('-0')).toBe(0);
    expect(moneyUnits('99999999999.9999')).toBe(999_999_999_999_999);
    expect(unitsToMoney(-1)).toBe('-0.0001');
    expect(unitsToMoney(125_000)).toBe('12.5000');
    expect(unitsToMoney(0)).toBe(toMoney('-0'));
  });

  it('leaves to decimal.js what integers cannot hold exactly', () => {
    expect(moneyUnits('0.12345')).toBeUndefined();
    expect(moneyUnits('1e3')).toBeUndefined();
    expect(moneyUnits('100000000000.0000')).toBeUndefined();
    expect(moneyUnits('12345678901234.5678')).toBeUndefined();
  });
});
