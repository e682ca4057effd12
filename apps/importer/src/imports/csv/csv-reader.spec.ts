import { FileRejectedError } from '../../errors';
import { MAX_RECORD_BYTES, normalizeHeader, readCsvRecords } from './csv-reader';

async function* chunks(text: string | Buffer, size = 7): AsyncGenerator<Buffer> {
  const b = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

const read = (text: string | Buffer, limit = 100, atStart = true) => readCsvRecords(chunks(text), { atStart, limit, rowsBefore: 0 });

describe('readCsvRecords', () => {
  it('strips a UTF-8 BOM and takes the first record as the header', async () => {
    const r = await read('\ufeffCode,Value\nA,1\n');
    expect(r.header).toEqual(['Code', 'Value']);
    expect(r.records.map((x) => x.values)).toEqual([['A', '1']]);
    expect(r.exhausted).toBe(true);
  });

  it('reads CRLF and LF line endings alike, and a last line without a line break', async () => {
    const r = await read('Code\r\nA\nB\r\nC');
    expect(r.records.map((x) => x.values)).toEqual([['A'], ['B'], ['C']]);
  });

  it('keeps quoted fields with embedded line breaks, commas and doubled quotes in one record', async () => {
    const r = await read('Code,Note\nA,"one\r\ntwo, ""three"""\nB,x\n');
    expect(r.records.map((x) => x.values)).toEqual([
      ['A', 'one\r\ntwo, "three"'],
      ['B', 'x'],
    ]);
  });

  it('gives each record the byte offset after it, so a later batch resumes exactly there (multi-byte text too)', async () => {
    const text = '\ufeffCode,Name\nA,Zażółć\nB,"x\ny"\nC,ü\nD,d\n';
    const first = await read(text, 2);
    expect(first.exhausted).toBe(false);
    expect(first.records.map((x) => x.values[0])).toEqual(['A', 'B']);
    const offset = first.records[1].end;
    const rest = await readCsvRecords(chunks(Buffer.from(text, 'utf8').subarray(offset)), { atStart: false, limit: 100, rowsBefore: 2 });
    expect(rest.header).toBeUndefined();
    expect(rest.records.map((x) => x.values)).toEqual([
      ['C', 'ü'],
      ['D', 'd'],
    ]);
  });

  it('keeps rows with a different column count for the caller to reject', async () => {
    const r = await read('Code,Value\nA\nB,1,extra\n');
    expect(r.records.map((x) => x.values)).toEqual([['A'], ['B', '1', 'extra']]);
  });

  it.each<[string, string | Buffer, RegExp]>([
    ['an unterminated quote', 'Code,Note\nA,"open\nB,x\n', /row 1 is never closed/],
    ['binary content', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), /binary data/],
    ['invalid UTF-8', Buffer.from([0x43, 0x6f, 0x64, 0x65, 0x0a, 0xc3, 0x28, 0x0a]), /not valid UTF-8/],
    ['an empty file', '', /empty/],
    ['a single line over the record limit', `Code\n${'A'.repeat(MAX_RECORD_BYTES + 10)}\n`, /longer than/],
  ])('rejects %s as a whole file', async (_name, text, reason) => {
    const error = await read(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileRejectedError);
    expect((error as Error).message).toMatch(reason);
  });
});

describe('normalizeHeader', () => {
  it.each([
    ['Discount Type', 'discount_type'],
    [' START DATE ', 'start_date'],
    ['source_id', 'source_id'],
    ['address-line-1', 'address_line_1'],
  ])('%p → %p', (cell, key) => expect(normalizeHeader(cell)).toBe(key));
});
