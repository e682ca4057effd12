import { firstOfEachKey, notWritten } from './dedupe';

describe('batch de-duplication', () => {
  const rows = [
    { row: 1, key: 'A', value: 1 },
    { row: 2, key: 'B', value: 2 },
    { row: 3, key: 'A', value: 3 },
  ];

  it('keeps the first row of each key and fails the repeats', () => {
    const { unique, repeats } = firstOfEachKey(rows, (k) => `dup ${k}`);
    expect(unique.map((r) => r.row)).toEqual([1, 2]);
    expect(repeats).toEqual([{ row: 3, key: 'A', reason: 'dup A' }]);
  });

  it('fails the rows the database did not return', () => {
    expect(notWritten(rows.slice(0, 2), [{ key: 'B' }], (k) => `exists ${k}`)).toEqual([{ row: 1, key: 'A', reason: 'exists A' }]);
  });
});
