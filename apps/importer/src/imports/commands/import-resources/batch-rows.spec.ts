import type { ResourceSpec, RowOutcome } from '../../rows/resource-spec';
import { checkCsvRecords, checkJsonItems, estimatedRows } from './batch-rows';

const spec: ResourceSpec<unknown> = {
  noun: 'thing',
  requiredColumns: ['code'],
  knownColumns: ['code', 'amount'],
  failedKeyField: 'code',
  parse: (cells, metadata): RowOutcome<unknown> =>
    cells.code ? { ok: true, key: cells.code, value: { ...cells, metadata } } : { ok: false, key: null, reason: 'code is required' },
  write: async () => [],
};

const record = (values: string[]) => ({ values, end: 0 });

describe('checking a batch of CSV records', () => {
  it('numbers rows after those of earlier batches and maps known columns by their normalised name', () => {
    const out = checkCsvRecords(spec, ['Code', ' Amount '], [record(['A', '5']), record(['B', '7'])], 40);
    expect(out.failures).toEqual([]);
    expect(out.valid).toEqual([
      { row: 41, key: 'A', value: { code: 'A', amount: '5', metadata: {} } },
      { row: 42, key: 'B', value: { code: 'B', amount: '7', metadata: {} } },
    ]);
  });

  it('passes unknown non-empty columns as metadata under their header as written', () => {
    const out = checkCsvRecords(spec, ['code', ' Colour ', 'size'], [record(['A', 'red', ''])], 0);
    expect(out.valid[0].value).toEqual({ code: 'A', metadata: { Colour: 'red' } });
  });

  it('fails a record of the wrong width without parsing it, and keeps the parser reason for the others', () => {
    const out = checkCsvRecords(spec, ['code', 'amount'], [record(['A']), record(['', '3']), record(['C', '1'])], 0);
    expect(out.failures).toEqual([
      { row: 1, key: null, reason: 'Row has 1 column(s) but the header has 2' },
      { row: 2, key: null, reason: 'code is required' },
    ]);
    expect(out.valid.map((v) => v.row)).toEqual([3]);
  });
});

describe('checking a batch of JSON items', () => {
  it('numbers items after those of earlier batches and splits valid from failed', () => {
    const parseJson = (item: unknown): RowOutcome<unknown> => (typeof item === 'string' ? { ok: true, key: item, value: item } : { ok: false, key: null, reason: 'not a string' });
    const out = checkJsonItems(parseJson, [{ value: 'x', end: 4 }, { value: 3, end: 6 }], 10);
    expect(out.valid).toEqual([{ row: 11, key: 'x', value: 'x' }]);
    expect(out.failures).toEqual([{ row: 12, key: null, reason: 'not a string' }]);
  });
});

describe('estimated row count', () => {
  it('scales the rows read by the share of bytes read', () => {
    expect(estimatedRows(100, 1000, 10_000, false)).toBe(1000);
  });

  it('is the rows read once the file is exhausted or before any byte is read', () => {
    expect(estimatedRows(100, 1000, 10_000, true)).toBe(100);
    expect(estimatedRows(0, 0, 10_000, false)).toBe(0);
  });

  it('never falls below the rows read', () => {
    expect(estimatedRows(100, 1000, 500, false)).toBe(100);
  });
});
