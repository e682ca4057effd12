import Decimal from 'decimal.js';
import { toMoney } from '../money';
import { addToTotals, BatchCartItem, buildOrderLines, countsTowardBatch, decidePricing, findInvalidItems, lineTotal, splitBatch } from './batch-planning';

const submittedAt = new Date('2026-01-10T10:00:00Z');
const pricedAt = new Date('2026-01-05T00:00:00Z');

function item(over: Partial<BatchCartItem> = {}): BatchCartItem {
  return {
    id: 'ci-1',
    kind: 'major',
    parentId: null,
    productId: 'p-1',
    sku: 'SKU-1',
    quantity: 2,
    unitPrice: '10.0000',
    position: 0,
    subPosition: 0,
    updatedAt: new Date('2026-01-09T00:00:00Z'),
    productActive: true,
    productUnitPrice: '10.0000',
    priceBookUpdatedAt: new Date('2026-01-01T00:00:00Z'),
    ...over,
  };
}

describe('splitBatch (retrieveCartItems)', () => {
  const heads = (n: number) => Array.from({ length: n }, (_, i) => ({ position: i * 3 }));

  it('takes the batch size and knows more follow when one extra head was read', () => {
    const s = splitBatch(heads(201), 200);
    expect(s.batch).toHaveLength(200);
    expect(s.hasMore).toBe(true);
    expect(s.cursor).toBe(199 * 3);
  });

  it('recognises the last batch of a cart whose size is an exact multiple of the batch size', () => {
    const s = splitBatch(heads(200), 200);
    expect(s).toMatchObject({ hasMore: false, cursor: 199 * 3 });
    expect(s.batch).toHaveLength(200);
  });

  it('a short final batch', () => {
    expect(splitBatch(heads(50), 200)).toMatchObject({ hasMore: false, cursor: 49 * 3 });
  });

  it('an empty read leaves the cursor alone', () => {
    expect(splitBatch([], 200)).toEqual({ batch: [], hasMore: false, cursor: null });
  });

  it('1,052 heads (1,050 major items + 2 coupons) make 6 batches of 200 at most', () => {
    let rest = heads(1052);
    let batches = 0;
    for (;;) {
      const s = splitBatch(rest.slice(0, 201), 200);
      batches++;
      rest = rest.slice(s.batch.length);
      if (!s.hasMore) break;
    }
    expect(batches).toBe(6);
    expect(rest).toHaveLength(0);
  });

  it('minor items do not count toward the batch size; coupons do', () => {
    expect(countsTowardBatch('minor')).toBe(false);
    expect(countsTowardBatch('coupon')).toBe(true);
    expect(countsTowardBatch('major')).toBe(true);
  });
});

describe('findInvalidItems (checkForInvalidItems)', () => {
  it('accepts a valid item', () => {
    expect(findInvalidItems([item()], submittedAt)).toEqual([]);
  });

  it.each([
    ['an inactive product', { productActive: false }, 'product is inactive'],
    ['a zero quantity', { quantity: 0 }, 'quantity must be greater than 0 (is 0)'],
    ['a negative quantity', { quantity: -3 }, 'quantity must be greater than 0 (is -3)'],
    ['no price', { unitPrice: null }, 'item has no price'],
    ['a change after submit', { updatedAt: new Date('2026-01-10T10:00:00.001Z') }, 'item changed after the placement was submitted'],
  ])('names an item with %s', (_what, over, reason) => {
    expect(findInvalidItems([item(), item({ id: 'bad', sku: 'BAD', ...over })], submittedAt)).toEqual([{ cartItemId: 'bad', sku: 'BAD', reason }]);
  });

  it('joins every reason of one item', () => {
    const [bad] = findInvalidItems([item({ productActive: false, quantity: 0 })], submittedAt);
    expect(bad.reason).toBe('product is inactive; quantity must be greater than 0 (is 0)');
  });

  it('checks minor items too', () => {
    expect(findInvalidItems([item({ id: 'minor', kind: 'minor', parentId: 'ci-1', productActive: false })], submittedAt)).toHaveLength(1);
  });
});

describe('decidePricing (repricing decisions)', () => {
  const stale = { priceBookUpdatedAt: new Date('2026-01-06T00:00:00Z'), productUnitPrice: '12.5000' };

  it('keeps current prices when nothing changed after the cart was priced', () => {
    expect(decidePricing([item()], pricedAt, true)).toEqual({ outcome: 'current' });
    expect(decidePricing([item()], pricedAt, false)).toEqual({ outcome: 'current' });
  });

  it('reprices stale items from the product when allowed', () => {
    const d = decidePricing([item(), item({ id: 'old', ...stale })], pricedAt, true);
    expect(d).toEqual({ outcome: 'repriced', prices: new Map([['old', '12.5000']]) });
  });

  it('refuses stale prices when repricing is not allowed', () => {
    const d = decidePricing([item({ id: 'old', sku: 'OLD', ...stale })], pricedAt, false);
    expect(d).toEqual({ outcome: 'stale', items: [{ cartItemId: 'old', sku: 'OLD', reason: 'price is older than the price book' }] });
  });

  it('fails pricing when a stale item has no product price', () => {
    const d = decidePricing([item({ id: 'old', sku: 'OLD', ...stale, productUnitPrice: null })], pricedAt, true);
    expect(d).toEqual({ outcome: 'pricing-failed', items: [{ cartItemId: 'old', sku: 'OLD', reason: 'product has no price in the price book' }] });
  });

  it('a price book change at the very instant of pricing is not stale', () => {
    expect(decidePricing([item({ priceBookUpdatedAt: pricedAt })], pricedAt, false)).toEqual({ outcome: 'current' });
  });
});

describe('order lines and totals in decimal', () => {
  it('multiplies without float error', () => {
    expect(lineTotal('major', 3, '0.1000')).toBe('0.3000');
    expect(lineTotal('major', 7, '19.9900')).toBe('139.9300');
    expect(lineTotal('minor', 1_000_000, '0.0001')).toBe('100.0000');
  });

  it('a coupon is always a discount', () => {
    expect(lineTotal('coupon', 1, '5.00')).toBe('-5.0000');
    expect(lineTotal('coupon', 2, '-5.00')).toBe('-10.0000');
  });

  it('builds major lines first with minor lines pointing at their parent line, repriced where decided', () => {
    let n = 0;
    const lines = buildOrderLines(
      [
        item({ id: 'm1', kind: 'minor', parentId: 'h1', sku: 'MIN', unitPrice: '1.1000', subPosition: 1 }),
        item({ id: 'h1', quantity: 3, unitPrice: '2.0000' }),
        item({ id: 'c1', kind: 'coupon', quantity: 1, unitPrice: '4.0000', position: 1 }),
      ],
      new Map([['h1', '2.5000']]),
      () => `line-${++n}`,
    );
    expect(lines.map((l) => [l.cartItemId, l.parentOrderItemId, l.unitPrice, l.lineTotal, l.repriced])).toEqual([
      ['h1', null, '2.5000', '7.5000', true],
      ['c1', null, '4.0000', '-4.0000', false],
      ['m1', 'line-1', '1.1000', '2.2000', false],
    ]);
  });

  it('refuses a minor item whose major item is not in the batch', () => {
    expect(() => buildOrderLines([item({ id: 'm1', kind: 'minor', parentId: 'elsewhere' })], new Map(), () => 'x')).toThrow(/without its major item/);
  });

  it('adds a batch to the running totals exactly', () => {
    const lines = [
      { kind: 'major' as const, lineTotal: '0.1000' },
      { kind: 'minor' as const, lineTotal: '0.2000' },
      { kind: 'coupon' as const, lineTotal: '-0.0500' },
    ];
    expect(addToTotals({ subtotal: '100.0000', discount: '1.0000' }, lines)).toEqual({ subtotal: '100.3000', discount: '1.0500', total: '99.2500' });
  });

  it('stays exact over many batches of cents (where floats drift)', () => {
    let totals = { subtotal: '0', discount: '0', total: '0' };
    for (let b = 0; b < 1000; b++) totals = addToTotals(totals, [{ kind: 'major', lineTotal: '0.0100' }]);
    expect(totals.subtotal).toBe('10.0000');
  });

  it('integer arithmetic and decimal.js agree on every amount, including the ranges the integers hand back', () => {
    const decimalLine = (kind: string, quantity: number, price: string) => {
      const amount = new Decimal(price).mul(quantity);
      return toMoney(kind === 'coupon' ? amount.abs().neg() : amount);
    };
    const prices = ['0', '0.0001', '2.5', '0.9900', '-3.1200', '19.99', '99999999999.9999', '12345678901234.5678', '0.12345', '1e3'];
    const quantities = [0, 1, 3, 1_000_000, 2_147_483_647];
    for (const kind of ['major', 'coupon'] as const) {
      for (const price of prices) {
        for (const quantity of quantities) {
          const expected = decimalLine(kind, quantity, price);
          // Past numeric(18,4) the database refuses the line either way; the digits must still agree.
          expect([kind, quantity, price, lineTotal(kind, quantity, price)]).toEqual([kind, quantity, price, expected]);
        }
      }
    }
    const lines = buildOrderLines([item({ unitPrice: '12345678901234.5678', quantity: 1 }), item({ id: 'ci-2', unitPrice: '7.5', quantity: 1 })], new Map(), () => 'l');
    expect(lines.map((l) => l.unitPrice)).toEqual(['12345678901234.5678', '7.5000']);
  });

  it('totals fall back to decimal.js when a sum leaves the exact integer range, with the same digits', () => {
    const big = { kind: 'major' as const, lineTotal: '99999999999.9999' };
    const totals = addToTotals({ subtotal: '999999999999.0000', discount: '0.0000' }, [big, big, { kind: 'coupon', lineTotal: '-0.0001' }]);
    const subtotal = new Decimal('999999999999').plus(new Decimal('99999999999.9999').mul(2));
    expect(totals).toEqual({ subtotal: toMoney(subtotal), discount: '0.0001', total: toMoney(subtotal.minus('0.0001')) });
  });
});
