/**
 * An incremental Server-Sent Events parser (the WHATWG event-stream format), for reading the live
 * stream through fetch: EventSource cannot send the Authorization header.
 */
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  /** The last id the stream set (what Last-Event-ID resumes from). */
  lastEventId: string | undefined;
  /** Reconnection delay the server asked for with `retry:`. */
  retryMs: number | undefined;

  /** Feeds decoded text; returns the messages completed by it. */
  feed(text: string): SseMessage[] {
    this.buffer += text;
    const out: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const nl = this.nextLineEnd(start);
      if (nl < 0) break;
      const line = this.buffer.slice(start, nl);
      start = nl + (this.buffer[nl] === '\r' && this.buffer[nl + 1] === '\n' ? 2 : 1);
      const message = this.line(line);
      if (message) out.push(message);
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  private nextLineEnd(from: number): number {
    for (let i = from; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c === '\n') return i;
      // A lone CR ends a line too, but a CR at the very end may be the first half of CRLF.
      if (c === '\r') return i + 1 < this.buffer.length ? i : -1;
    }
    return -1;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
    }
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    if (this.id !== undefined) this.lastEventId = this.id;
    const message = this.data.length ? { id: this.id, event: this.event || 'message', data: this.data.join('\n') } : undefined;
    this.data = [];
    this.event = '';
    this.id = undefined;
    return message;
  }
}

/** Reconnection delay after `failures` failed attempts in a row: the server's hint, doubled up to 30 s. */
export function reconnectDelayMs(failures: number, serverHintMs = 2000): number {
  return Math.min(30_000, serverHintMs * 2 ** Math.max(0, failures - 1));
}
