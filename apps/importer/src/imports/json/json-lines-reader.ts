import { FileRejectedError } from '../../errors';

/** One stored JSON item is one line; the gateway wrote them, so a longer one is not ours. */
export const MAX_JSON_LINE_BYTES = 1024 * 1024;

export interface JsonLine {
  value: unknown;
  /** Byte offset, relative to where reading started, just after this line's newline. */
  end: number;
}

/**
 * Reads up to `limit` items of a JSON import, stored by the gateway as one JSON document per line
 * (JSON.stringify never emits a raw newline), with the byte offset after each for the cursor.
 */
export async function readJsonLines(source: AsyncIterable<Buffer>, limit: number): Promise<{ lines: JsonLine[]; exhausted: boolean }> {
  const lines: JsonLine[] = [];
  let pending: Buffer = Buffer.alloc(0);
  let consumed = 0;
  for await (const chunk of source) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      const nl = pending.indexOf(0x0a);
      if (nl < 0) break;
      const text = pending.subarray(0, nl).toString('utf8');
      consumed += nl + 1;
      pending = pending.subarray(nl + 1);
      if (text.trim()) lines.push({ value: parseLine(text), end: consumed });
      if (lines.length >= limit) return { lines, exhausted: false };
    }
    if (pending.length > MAX_JSON_LINE_BYTES) throw new FileRejectedError('INVALID_CSV', 'An item of the import is larger than 1 MB.');
  }
  if (pending.toString('utf8').trim()) lines.push({ value: parseLine(pending.toString('utf8')), end: consumed + pending.length });
  return { lines, exhausted: true };
}

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FileRejectedError('INVALID_CSV', 'The stored import is not readable as JSON items.');
  }
}
