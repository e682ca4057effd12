import { computeTax, findTaxRate, priceLines, SalesTransactionError } from './sales-math';

const book = new Map([
  ['A', { id: 'pa', active: true, unitPrice: '19.9900' }],
  ['B', { id: 'pb', active: true, unitPrice: '0.1000' }],
  ['OLD', { id: 'po', active: false, unitPrice: '1.0000' }],
  ['FREE', { id: 'pf', active: true, unitPrice: null }],
]);

const line = (lineNumber: number, sku: string, quantity: number, discountPercent: string | null = null, discountAmount: string | null = null) => ({ lineNumber, sku, quantity, discountPercent, discountAmount });

describe('priceLines', () => {
  it('applies quantity, percent and amount adjustments exactly in decimal', () => {
    const priced = priceLines([line(1, 'A', 3, '10'), line(2, 'B', 3, null, '0.0500'), line(3, 'B', 7, '33.3333')], book);
    expect(priced.lines).toEqual([
      { lineNumber: 1, productId: 'pa', listPrice: '19.9900', listAmount: '59.9700', adjustment: '5.9970', netAmount: '53.9730' },
      // 0.1 × 3 is 0.3 here, not 0.30000000000000004.
      { lineNumber: 2, productId: 'pb', listPrice: '0.1000', listAmount: '0.3000', adjustment: '0.0500', netAmount: '0.2500' },
      { lineNumber: 3, productId: 'pb', listPrice: '0.1000', listAmount: '0.7000', adjustment: '0.2333', netAmount: '0.4667' },
    ]);
    expect(priced.subtotal).toBe('60.9700');
    expect(priced.discount).toBe('6.2803');
  });

  it('names every failing line with the first failure as the code', () => {
    try {
      priceLines([line(1, 'A', 1), line(2, 'NOPE', 1), line(3, 'OLD', 1), line(4, 'FREE', 1), line(5, 'B', 1, null, '0.2000')], book);
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(SalesTransactionError);
      const err = e as SalesTransactionError;
      expect(err.code).toBe('UNKNOWN_PRODUCT');
      expect(err.lineNumbers).toEqual([2, 3, 4, 5]);
      expect(err.message).toBe(
        'line 2: product NOPE does not exist; line 3: product OLD is not active; line 4: product FREE has no price in the price book; line 5: adjustments (0.2000) exceed the line amount (0.1000)',
      );
    }
  });
});

describe('findTaxRate', () => {
  const rates = [
    { country: 'US', region: '', rate: '0.000000' },
    { country: 'US', region: 'CA', rate: '0.072500' },
    { country: 'DE', region: '', rate: '0.190000' },
  ];

  it('prefers the region, falls back to the country-wide rate', () => {
    expect(findTaxRate(rates, 'US', 'CA')).toBe('0.072500');
    expect(findTaxRate(rates, 'US', 'OR')).toBe('0.000000');
    expect(findTaxRate(rates, 'US', null)).toBe('0.000000');
    expect(findTaxRate(rates, 'DE', 'BY')).toBe('0.190000');
  });

  it('fails with TAX_RATE_NOT_FOUND when the country has no rate', () => {
    expect(() => findTaxRate(rates, 'BR', 'SP')).toThrow('no tax rate for ship-to BR-SP');
    expect(() => findTaxRate([{ country: 'US', region: 'CA', rate: '0.0725' }], 'US', 'NY')).toThrow(SalesTransactionError);
  });
});

describe('computeTax', () => {
  it('taxes each line on its net amount, rounded half-up to the cent, and totals the lines', () => {
    const taxed = computeTax(
      [
        { lineNumber: 1, netAmount: '53.9730' },
        { lineNumber: 2, netAmount: '2.3300' },
        { lineNumber: 3, netAmount: '0.0690' },
      ],
      '0.072500',
    );
    // 3.9130425 → 3.91; 0.168925 → 0.17; 0.0050025 → 0.01
    expect(taxed.lines).toEqual([
      { lineNumber: 1, taxAmount: '3.9100' },
      { lineNumber: 2, taxAmount: '0.1700' },
      { lineNumber: 3, taxAmount: '0.0100' },
    ]);
    expect(taxed).toMatchObject({ tax: '4.0900', net: '56.3720', total: '60.4620' });
  });

  it('never drifts like floats do: 1,000 lines of 0.10 at 10 % tax exactly 10.00', () => {
    const taxed = computeTax(Array.from({ length: 1000 }, (_, i) => ({ lineNumber: i + 1, netAmount: '0.1000' })), '0.1');
    expect(taxed).toMatchObject({ net: '100.0000', tax: '10.0000', total: '110.0000' });
  });

  it('is zero at a zero rate', () => {
    expect(computeTax([{ lineNumber: 1, netAmount: '12.3456' }], '0.000000')).toMatchObject({ tax: '0.0000', total: '12.3456' });
  });
});
