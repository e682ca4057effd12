import { isAscii } from 'node:buffer';
import { FileRejectedError } from '../../errors';

/** A longer record is not a CSV row anyone meant to write (a binary blob, a 10 MB line). */
export const MAX_RECORD_BYTES = 1024 * 1024;

export interface CsvRecord {
  values: string[];
  /** Byte offset, relative to where reading started, just after this record's delimiter. */
  end: number;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const MORE = Symbol('more');
const END = Symbol('end');

/**
 * An incremental RFC 4180 reader over a byte stream that starts at a record boundary, written
 * for throughput: records are found on the bytes (`indexOf` of newline and quote, both ASCII, so
 * UTF-8 text is never split inside a character), an unquoted record is decoded once and split on
 * commas, and only a record holding a quote goes through the character-level state machine.
 *
 * Rules (those of the import format): `\r\n` and `\n` end records in any mix, empty lines are
 * skipped, records may have any number of fields, a quote opens a field only at its start and
 * `""` inside a quoted field is one quote. The stream must be UTF-8 text without NUL bytes;
 * anything else, an unclosed quote or a record over {@link MAX_RECORD_BYTES} rejects the file,
 * naming the row.
 */
export class CsvScanner {
  private readonly it: AsyncIterator<Buffer>;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private buf: Buffer = Buffer.alloc(0);
  /** The buffer as a string when it is pure ASCII. */
  private ascii?: string;
  private pos = 0;
  /** Offset of buf[0] relative to where reading started. */
  private base = 0;
  private eof = false;
  private seen = 0;
  /** Next quote at or after pos in buf (-1: none in buf); recomputed when passed. */
  private quoteAt = -2;
  private bomChecked: boolean;
  /** Records returned so far (the header included), for row numbers in errors. */
  private records = 0;

  constructor(
    source: AsyncIterable<Buffer>,
    private readonly options: { atStart: boolean; rowsBefore: number },
  ) {
    this.it = source[Symbol.asyncIterator]();
    this.bomChecked = !options.atStart;
  }

  /** True once every record has been returned. */
  get done(): boolean {
    return this.eof && this.pos >= this.buf.length;
  }

  /** Up to `max` next records; fewer only at the end of the input. */
  async read(max: number): Promise<CsvRecord[]> {
    const out: CsvRecord[] = [];
    while (out.length < max) {
      const rec = this.scan();
      if (rec === MORE) await this.fill();
      else if (rec === END) break;
      else out.push(rec);
    }
    return out;
  }

  /** The next record, or undefined at the end of the input. */
  async next(): Promise<CsvRecord | undefined> {
    const [rec] = await this.read(1);
    return rec;
  }

  /** The next record from the buffer without waiting: MORE when it needs more input. */
  private scan(): CsvRecord | typeof MORE | typeof END {
    if (!this.bomChecked) {
      if (this.buf.length - this.pos < 3 && !this.eof) return MORE;
      if (this.buf[this.pos] === 0xef && this.buf[this.pos + 1] === 0xbb && this.buf[this.pos + 2] === 0xbf) this.pos += 3;
      this.bomChecked = true;
    }
    for (;;) {
      const buf = this.buf;
      const start = this.pos;
      if (start >= buf.length) return this.eof ? END : MORE;
      const nl = buf.indexOf(LF, start);
      if (nl < 0 && !this.eof) {
        if (buf.length - start > MAX_RECORD_BYTES) throw this.tooLong();
        return MORE;
      }
      if (this.quoteAt !== -1 && this.quoteAt < start) this.quoteAt = buf.indexOf(QUOTE, start);
      const lineEnd = nl < 0 ? buf.length : nl;
      if (this.quoteAt === -1 || this.quoteAt >= lineEnd) {
        const contentEnd = nl > start && buf[nl - 1] === CR ? nl - 1 : lineEnd;
        this.pos = nl < 0 ? buf.length : nl + 1;
        if (contentEnd === start) continue; // an empty line
        if (contentEnd - start > MAX_RECORD_BYTES) throw this.tooLong();
        this.records++;
        const line = this.ascii !== undefined ? this.ascii.slice(start, contentEnd) : buf.toString('utf8', start, contentEnd);
        return { values: line.split(','), end: this.base + this.pos };
      }
      const quoted = this.quotedRecord(start);
      if (quoted === 'more') {
        if (buf.length - start > MAX_RECORD_BYTES) throw this.tooLong();
        return MORE;
      }
      if (quoted === 'empty') continue;
      this.records++;
      return quoted;
    }
  }

  /**
   * A record holding at least one quote, parsed byte by byte from `start`. 'more' when the
   * buffer ends inside it (and more input may come); 'empty' for a skipped empty line.
   */
  private quotedRecord(start: number): CsvRecord | 'more' | 'empty' {
    const buf = this.buf;
    const len = buf.length;
    const values: string[] = [];
    let i = start;
    for (;;) {
      // At the start of a field.
      if (i < len && buf[i] === QUOTE) {
        const parts: string[] = [];
        let from = i + 1;
        let j = from;
        for (;;) {
          const q = buf.indexOf(QUOTE, j);
          if (q < 0) {
            if (!this.eof) return 'more';
            throw this.rejected('CSV_QUOTE_NOT_CLOSED');
          }
          if (q + 1 < len && buf[q + 1] === QUOTE) {
            parts.push(buf.toString('utf8', from, q + 1));
            from = j = q + 2;
            continue;
          }
          if (q + 1 >= len && !this.eof) return 'more';
          parts.push(buf.toString('utf8', from, q));
          i = q + 1;
          break;
        }
        values.push(parts.length === 1 ? parts[0] : parts.join(''));
        if (i >= len) return this.ended(values, len);
        const c = buf[i];
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === LF) return this.ended(values, i + 1);
        if (c === CR && i + 1 < len && buf[i + 1] === LF) return this.ended(values, i + 2);
        if (c === CR && i + 1 >= len && !this.eof) return 'more';
        throw this.rejected('CSV_INVALID_CLOSING_QUOTE', String.fromCharCode(c));
      }
      // An unquoted field: up to the next comma or line end; a quote inside it is an error.
      let j = i;
      while (j < len) {
        const c = buf[j];
        if (c === COMMA || c === LF) break;
        if (c === QUOTE) throw this.rejected('CSV_INVALID_OPENING_QUOTE', buf.toString('utf8', i, j));
        j++;
      }
      if (j >= len && !this.eof) return 'more';
      if (j >= len) {
        values.push(buf.toString('utf8', i, j));
        return this.ended(values, len);
      }
      if (buf[j] === COMMA) {
        values.push(buf.toString('utf8', i, j));
        i = j + 1;
        continue;
      }
      // A line end.
      const end = j > i && buf[j - 1] === CR ? j - 1 : j;
      values.push(buf.toString('utf8', i, end));
      if (values.length === 1 && values[0] === '' && i === start) {
        this.pos = j + 1;
        return 'empty';
      }
      return this.ended(values, j + 1);
    }
  }

  private ended(values: string[], next: number): CsvRecord {
    if (next - this.pos > MAX_RECORD_BYTES + 2) throw this.tooLong();
    this.pos = next;
    return { values, end: this.base + next };
  }

  /**
   * Appends the next chunks after the unread rest of the buffer, proving the bytes are text. It
   * reads on until a chunk holds a line end (or the input or the record limit ends), so a long
   * record read in small chunks is copied once, not once per chunk.
   */
  private async fill(): Promise<void> {
    const parts: Buffer[] = this.pos < this.buf.length ? [this.buf.subarray(this.pos)] : [];
    let size = this.buf.length - this.pos;
    for (;;) {
      const r = await this.it.next();
      if (r.done) {
        this.eof = true;
        try {
          this.decoder.decode();
        } catch {
          throw new FileRejectedError('NOT_CSV', 'The file is not a CSV file: it is not valid UTF-8 text.');
        }
        if (this.options.atStart && this.seen === 0) throw new FileRejectedError('EMPTY_FILE', 'The file is empty.');
        break;
      }
      const chunk = r.value;
      if (chunk.includes(0)) throw new FileRejectedError('NOT_CSV', 'The file is not a CSV file: it contains binary data.');
      try {
        this.decoder.decode(chunk, { stream: true });
      } catch {
        throw new FileRejectedError('NOT_CSV', 'The file is not a CSV file: it is not valid UTF-8 text.');
      }
      this.seen += chunk.length;
      parts.push(chunk);
      size += chunk.length;
      if (chunk.includes(LF) || size > MAX_RECORD_BYTES + 2) break;
    }
    this.buf = parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
    // Pure ASCII (the common case): characters are bytes, so one decode serves every record.
    this.ascii = isAscii(this.buf) ? this.buf.toString('latin1') : undefined;
    this.base += this.pos;
    this.pos = 0;
    this.quoteAt = -2;
  }

  /** Stops reading; the source's own clean-up runs. */
  async close(): Promise<void> {
    await this.it.return?.();
  }

  private row(): number {
    return Math.max(this.options.rowsBefore + 1, this.options.rowsBefore + this.records + (this.options.atStart ? 0 : 1));
  }

  private tooLong(): FileRejectedError {
    return new FileRejectedError('INVALID_CSV', `Invalid CSV: row ${this.row()} is longer than ${MAX_RECORD_BYTES} bytes.`);
  }

  private rejected(code: 'CSV_QUOTE_NOT_CLOSED' | 'CSV_INVALID_CLOSING_QUOTE' | 'CSV_INVALID_OPENING_QUOTE', detail = ''): FileRejectedError {
    const row = this.row();
    switch (code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return new FileRejectedError('INVALID_CSV', `Invalid CSV: a quoted field opened at row ${row} is never closed.`);
      case 'CSV_INVALID_CLOSING_QUOTE':
        return new FileRejectedError('INVALID_CSV', `Invalid CSV at row ${row}: Invalid Closing Quote: got "${detail}" instead of a delimiter or a line end.`);
      default:
        return new FileRejectedError('INVALID_CSV', `Invalid CSV at row ${row}: Invalid Opening Quote: a quote is found inside a field, value is "${detail}".`);
    }
  }
}
