import { directText, StagedRows, stageText, withoutExisting } from './copy-batch';

const exists = (key: string) => `${key} exists`;

const chunk = (rows: number[], keys: string[]): StagedRows => ({ rows, keys, lines: keys.map((k) => `${k}\tv\n`) });

describe('a batch of staged rows', () => {
  it('leads each staging line with its file row and each direct line with the batch prefix', () => {
    const c = chunk([4, 9], ['A', 'B']);
    expect(stageText(c)).toBe('4\tA\tv\n9\tB\tv\n');
    expect(directText('o\t\\N\t', c)).toBe('o\t\\N\tA\tv\no\t\\N\tB\tv\n');
  });

  it('fails the rows whose key exists, in row order, and keeps the others in their order', () => {
    const chunks = [chunk([1, 2, 3], ['A', 'B', 'C']), chunk([5, 8], ['D', 'E']), chunk([9], ['F'])];
    const { kept, failures } = withoutExisting(chunks, new Set(['B', 'F', 'Z']), exists);
    expect(failures).toEqual([
      { row: 2, key: 'B', reason: 'B exists' },
      { row: 9, key: 'F', reason: 'F exists' },
    ]);
    expect(kept).toEqual([chunk([1, 3], ['A', 'C']), chunk([5, 8], ['D', 'E'])]);
  });

  it('keeps the chunks as they are when no key exists', () => {
    const chunks = [chunk([1], ['A'])];
    const out = withoutExisting(chunks, new Set(), exists);
    expect(out.kept).toBe(chunks);
    expect(out.failures).toEqual([]);
  });
});
