import { jsonRows } from './json-rows';

describe('jsonRows', () => {
  it('is the rows as JSON', () => {
    const rows = [{ a: 'x"\\y', b: null, c: 1 }, { a: 'é😀' }];
    expect(jsonRows(rows)).toBe(JSON.stringify(rows));
  });

  it('stores a lone surrogate as U+FFFD, as a text parameter did, so PostgreSQL takes the JSON', () => {
    const text = jsonRows([{ a: 'x\ud800y', b: 'z\udfff' }]);
    expect(text).not.toMatch(/\\ud[89a-f]/i);
    expect(JSON.parse(text)).toEqual([{ a: 'x\ufffdy', b: 'z\ufffd' }]);
    expect(Buffer.from(JSON.parse(text)[0].a as string).equals(Buffer.from('x\ud800y'))).toBe(true);
  });

  it('keeps an escaped backslash before "ud" as it is', () => {
    const rows = [{ a: '\\ud800' }];
    expect(JSON.parse(jsonRows(rows))).toEqual(rows);
  });
});
