import { sumMoney, toMoney } from './money';

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
});
