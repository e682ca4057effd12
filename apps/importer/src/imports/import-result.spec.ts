import { importMessage, importResult, updateResult } from './import-result';

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

  it('leaves the row out of JSON imports, naming the item by its key only', () => {
    expect(importResult({ noun: 'order', failedKeyField: 'source_id' }, 0, 1, [{ row: 3, key: 'o-1', reason: 'bad' }], undefined, false).failed).toEqual([{ source_id: 'o-1', reason: 'bad' }]);
  });
});

describe('update results (seed 001)', () => {
  const rows = [
    { row: 1, key: 'c-1', reason: 'Resource customer with id c-1 not found' },
    { row: 2, key: null, reason: 'metadata must be an object' },
  ];

  it('lays out a bulk update with counts, the report window when items failed, and errors naming the item', () => {
    const till = new Date('2030-01-01T00:00:00.000Z');
    expect(updateResult('bulk', { failedKeyField: 'source_id' }, 5, 2, rows, till)).toEqual({
      done_count: 5,
      failed_count: 2,
      reports_available_till: '2030-01-01T00:00:00.000Z',
      errors: [
        { message: 'Resource not found', details: rows[0].reason, key: 'not_found', source_id: 'c-1' },
        { message: 'Invalid payload', details: rows[1].reason, key: 'invalid_payload', source_id: '' },
      ],
    });
    expect(updateResult('bulk', { failedKeyField: 'code' }, 5, 0, [], till)).toEqual({ done_count: 5, failed_count: 0, errors: [] });
  });

  it('lays out a metadata update with errors only', () => {
    expect(updateResult('metadata', { failedKeyField: 'code' }, 5, 1, rows.slice(1), new Date())).toEqual({
      errors: [{ message: 'Invalid payload', details: rows[1].reason, key: 'invalid_payload', code: '' }],
    });
  });
});
