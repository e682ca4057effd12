import { waitFor } from './service-process';

export interface SseEvent<T> {
  id: string;
  event: string;
  data: T;
}

/**
 * A minimal Server-Sent Events client over fetch's streaming body, so a suite sees exactly what
 * went on the wire: the events, and how many comments (preamble, heartbeats) came with them.
 * `close()` aborts the request; a stream answered with an error status reads nothing.
 */
export class SseClient<T = Record<string, unknown>> {
  readonly events: Array<SseEvent<T>> = [];
  comments = 0;
  private pump?: Promise<void>;

  private constructor(
    readonly res: Response,
    private readonly abort: AbortController,
  ) {}

  get status(): number {
    return this.res.status;
  }

  static async open<T = Record<string, unknown>>(url: string, headers: Record<string, string>): Promise<SseClient<T>> {
    const abort = new AbortController();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    const client = new SseClient<T>(res, abort);
    if (res.ok && res.body) client.pump = client.read(res.body).catch(() => undefined);
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) {
            this.comments++;
            continue;
          }
          const i = line.indexOf(':');
          if (i > 0) fields[line.slice(0, i)] = line.slice(i + 1).replace(/^ /, '');
        }
        if (fields.data !== undefined) this.events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) as T });
      }
    }
  }

  /** Waits until `pred` holds for what has arrived. */
  async until(what: string, pred: (client: SseClient<T>) => boolean, timeoutMs = 30_000): Promise<void> {
    await waitFor(what, async () => (pred(this) ? true : undefined), timeoutMs, 25);
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.pump;
  }
}
