import { directText, StagedRows, stageText, withoutExisting } from './copy-batch';

const exists = (key: string) => `${key} exists`;

/** Lines `key\tvalue\n`, the value a non-ASCII one so byte and character offsets differ. */
const chunk = (rows: number[], keys: string[]): StagedRows => {
  const lines = keys.map((k) => `${k}\tż\n`);
  let end = 0;
  return { rows, keys, text: Buffer.from(lines.join('')), ends: lines.map((l) => (end += Buffer.byteLength(l))) };
};

describe('a batch of staged rows', () => {
  it('leads each staging line with its file row and each direct line with the batch prefix', () => {
    const c = chunk([4, 9], ['A', 'B']);
    expect(stageText(c).toString()).toBe('4\tA\tż\n9\tB\tż\n');
    expect(directText('o\t\\N\t', c).toString()).toBe('o\t\\N\tA\tż\no\t\\N\tB\tż\n');
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
