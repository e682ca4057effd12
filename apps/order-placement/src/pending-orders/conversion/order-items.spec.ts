import Decimal from 'decimal.js';
import { ConversionError } from '../pending-order-errors';
import { orderItemsOf, totalOf } from './order-items';

describe('orderItemsOf', () => {
  it('computes exact line totals and the product total', () => {
    const lines = orderItemsOf({ orderItems: [{ sku: 'A', quantity: 3, unitPrice: '0.10' }, { sku: 'B', quantity: '2', unitPrice: 19.99, description: 'b' }] });
    expect(lines).toEqual([
      { line: 1, sku: 'A', description: null, quantity: '3.0000', unitPrice: '0.10', totalPrice: '0.30' },
      { line: 2, sku: 'B', description: 'b', quantity: '2.0000', unitPrice: '19.99', totalPrice: '39.98' },
    ]);
    expect(totalOf(lines)).toBe('40.28');
  });

  it.each([
    [{}, 'orderItems'],
    [{ orderItems: [] }, 'orderItems'],
    [{ orderItems: [{ sku: '', quantity: 1, unitPrice: '1' }] }, 'sku'],
    [{ orderItems: [{ sku: 'A', quantity: 0, unitPrice: '1' }] }, 'quantity'],
    [{ orderItems: [{ sku: 'A', quantity: 1, unitPrice: '1.001' }] }, 'unitPrice'],
  ])('refuses %j naming %s', (payload, field) => {
    expect(() => orderItemsOf(payload)).toThrow(ConversionError);
    expect(() => orderItemsOf(payload)).toThrow(field);
  });
});

describe('orderItemsOf amounts', () => {
  const viaDecimal = (quantity: string, unitPrice: string) => ({
    quantity: new Decimal(quantity).toFixed(4),
    unitPrice: new Decimal(unitPrice).toFixed(2),
    totalPrice: new Decimal(quantity).times(unitPrice).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2),
  });
  const line = (quantity: string, unitPrice: string) => orderItemsOf({ orderItems: [{ sku: 'A', quantity, unitPrice }] })[0];

  it('gives the digits decimal.js gives, half-even, for everyday, tiny, huge and negative amounts', () => {
    const cases: Array<[string, string]> = [
      ['1', '0.50'],
      ['0.0001', '0.01'],
      ['0.5', '0.01'],
      ['1.5', '0.01'],
      ['2.5', '0.01'],
      ['0.0050', '1'],
      ['0.0150', '1'],
      ['007', '3.1'],
      ['12345678901234', '9999999999999999.99'],
      ['99999999999.9999', '99.99'],
      ['3', '-0.01'],
      ['0.5', '-0.01'],
      ['2', '-0'],
    ];
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    for (let i = 0; i < 2000; i++) cases.push([`${rnd(1000)}.${String(rnd(10_000)).padStart(4, '0')}`.replace(/^0\.0000$/, '1'), `${rnd(100_000)}.${String(rnd(100)).padStart(2, '0')}`]);
    for (const [q, p] of cases) expect({ q, p, ...line(q, p) }).toMatchObject({ q, p, ...viaDecimal(q, p) });
  });

  it('totals lines exactly, large or negative', () => {
    const lines = orderItemsOf({ orderItems: [{ sku: 'A', quantity: '1', unitPrice: '9999999999999999.99' }, { sku: 'B', quantity: '1', unitPrice: '0.01' }] });
    expect(totalOf(lines)).toBe('10000000000000000.00');
    expect(totalOf(orderItemsOf({ orderItems: [{ sku: 'A', quantity: '1', unitPrice: '-0.50' }, { sku: 'B', quantity: '2', unitPrice: '0.10' }] }))).toBe('-0.30');
  });

  it('refuses a zero quantity whichever way it is computed', () => {
    expect(() => line('0.0000', '1')).toThrow('quantity');
    expect(() => line('00000000000000.0000', '-1')).toThrow('quantity');
  });
});
