import { parse } from 'csv-parse/sync';
import { FileRejectedError } from '../../errors';
import { CsvScanner } from './csv-scanner';

async function* chunks(b: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

/** A small deterministic generator, so a failure names a reproducible case. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const PIECES = ['a', 'Zażółć', 'x y', '', ' ', '12.5', 'ü€'];

function randomCsv(seed: number): string {
  const rnd = random(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const lines: string[] = [];
  const rows = 1 + Math.floor(rnd() * 40);
  for (let r = 0; r < rows; r++) {
    if (rnd() < 0.05) {
      lines.push('');
      continue;
    }
    const fields: string[] = [];
    const n = 1 + Math.floor(rnd() * 5);
    for (let f = 0; f < n; f++) {
      const v = pick(PIECES) + (rnd() < 0.3 ? pick(PIECES) : '');
      if (rnd() < 0.25) fields.push(`"${(v + pick(['', '"', ',', '\n', '\r\n', 'q'])).replace(/"/g, '""')}"`);
      else fields.push(v);
    }
    lines.push(fields.join(','));
  }
  let text = '';
  for (const l of lines) text += l + (rnd() < 0.5 ? '\r\n' : '\n');
  return rnd() < 0.3 ? text.replace(/\r?\n$/, '') : text;
}

async function scanAll(buf: Buffer, size: number): Promise<Array<{ values: string[]; end: number }>> {
  const s = new CsvScanner(chunks(buf, size), { atStart: false, rowsBefore: 0 });
  return s.read(Number.MAX_SAFE_INTEGER);
}

describe('CsvScanner', () => {
  it('reads exactly what csv-parse reads, for random files in random chunk sizes, with resumable offsets', async () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = randomCsv(seed);
      const buf = Buffer.from(text, 'utf8');
      const expected: string[][] = parse(text, { relax_column_count: true, record_delimiter: ['\r\n', '\n'], skip_empty_lines: true });
      const size = 1 + (seed % 17);
      const got = await scanAll(buf, size);
      expect({ seed, values: got.map((r) => r.values) }).toEqual({ seed, values: expected });
      // Resuming at any record's end offset reads the rest exactly.
      if (got.length > 1) {
        const k = seed % (got.length - 1);
        const rest = await scanAll(buf.subarray(got[k].end), size);
        expect({ seed, values: rest.map((r) => r.values) }).toEqual({ seed, values: expected.slice(k + 1) });
      }
    }
  });

  it('strips a BOM only at the start of the file and counts it in the offsets', async () => {
    const buf = Buffer.from('\ufeffCode\nA\n', 'utf8');
    const s = new CsvScanner(chunks(buf, 2), { atStart: true, rowsBefore: 0 });
    expect(await s.read(10)).toEqual([
      { values: ['Code'], end: 8 },
      { values: ['A'], end: 10 },
    ]);
  });

  it.each<[string, string, RegExp]>([
    ['a quote inside an unquoted field', 'Code,Note\nA,x"y\n', /Invalid CSV at row 1: Invalid Opening Quote/],
    ['text after a closing quote', 'Code,Note\nA,ok\nB,"x"y\n', /Invalid CSV at row 2: Invalid Closing Quote/],
    ['a quote never closed in the third row', 'Code\nA\nB\n"C\n', /quoted field opened at row 3 is never closed/],
  ])('rejects %s, naming the row', async (_name, text, reason) => {
    const s = new CsvScanner(chunks(Buffer.from(text), 3), { atStart: true, rowsBefore: 0 });
    const error = await s.read(100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileRejectedError);
    expect((error as Error).message).toMatch(reason);
  });
});
