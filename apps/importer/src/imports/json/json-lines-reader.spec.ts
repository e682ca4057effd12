import { FileRejectedError } from '../../errors';
import { readJsonLines } from './json-lines-reader';

async function* chunks(text: string, size = 5): AsyncGenerator<Buffer> {
  const b = Buffer.from(text, 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

describe('readJsonLines', () => {
  it('reads items across chunk boundaries with the byte offset after each', async () => {
    const text = '{"code":"ä1"}\n{"code":"B"}\n{"code":"C"}\n';
    const first = await readJsonLines(chunks(text), 2);
    expect(first.exhausted).toBe(false);
    expect(first.lines.map((l) => l.value)).toEqual([{ code: 'ä1' }, { code: 'B' }]);
    const rest = await readJsonLines(chunks(Buffer.from(text).subarray(first.lines[1].end).toString()), 10);
    expect(rest).toEqual({ lines: [{ value: { code: 'C' }, end: 13 }], exhausted: true });
  });

  it('refuses content that is not JSON lines', async () => {
    await expect(readJsonLines(chunks('{"code":\n'), 10)).rejects.toBeInstanceOf(FileRejectedError);
  });
});
