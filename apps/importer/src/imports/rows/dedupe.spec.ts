import { firstOfEachKey, notWritten, writeEachKeyOnce } from './dedupe';

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

  it('writes the first row of each key once, then fails repeats and the rows the write did not return', async () => {
    const write = jest.fn(async () => [{ key: 'A' }]);
    const failures = await writeEachKeyOnce(rows, (k) => `dup ${k}`, write, (k) => `missing ${k}`);
    expect(write).toHaveBeenCalledWith([rows[0], rows[1]]);
    expect(failures).toEqual([
      { row: 3, key: 'A', reason: 'dup A' },
      { row: 2, key: 'B', reason: 'missing B' },
    ]);
  });

  it('does not write an empty batch, and words not-written rows as repeats by default', async () => {
    const write = jest.fn(async () => []);
    expect(await writeEachKeyOnce([], (k) => `dup ${k}`, write)).toEqual([]);
    expect(write).not.toHaveBeenCalled();
    expect(await writeEachKeyOnce(rows.slice(0, 1), (k) => `dup ${k}`, write)).toEqual([{ row: 1, key: 'A', reason: 'dup A' }]);
  });
});
