import { importMessage, importResult } from './import-result';

describe('import results (seed 001)', () => {
  it("words the message as seed 001's example does", () => {
    expect(importMessage('sku', 2, 6)).toBe('2 sku(s) imported successfully, 6 failed.');
    expect(importMessage('voucher', 9963, 37)).toBe('9963 voucher(s) imported successfully, 37 failed.');
  });

  it('names failed vouchers by code, customers and products by source_id, SKUs by row only', () => {
    const rows = [{ row: 2, key: 'K', reason: 'bad' }];
    expect(importResult({ noun: 'voucher', failedKeyField: 'code' }, 1, 1, rows)).toEqual({
      message: '1 voucher(s) imported successfully, 1 failed.',
      failed: [{ code: 'K', row: 2, reason: 'bad' }],
      done_count: 1,
      failed_count: 1,
    });
    expect(importResult({ noun: 'customer', failedKeyField: 'source_id' }, 0, 1, rows).failed).toEqual([{ source_id: 'K', row: 2, reason: 'bad' }]);
    expect(importResult({ noun: 'sku', failedKeyField: null }, 0, 1, rows).failed).toEqual([{ row: 2, reason: 'bad' }]);
  });

  it('announces a report only when rows failed', () => {
    const till = new Date('2030-01-01T00:00:00.000Z');
    expect(importResult({ noun: 'voucher', failedKeyField: 'code' }, 3, 0, [], till)).not.toHaveProperty('reports_available_till');
    expect(importResult({ noun: 'voucher', failedKeyField: 'code' }, 3, 1, [{ row: 1, key: null, reason: 'x' }], till)).toMatchObject({
      reports_available_till: '2030-01-01T00:00:00.000Z',
      failed: [{ code: '', row: 1, reason: 'x' }],
    });
  });
});
