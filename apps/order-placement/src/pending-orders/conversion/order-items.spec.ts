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
