import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';

/** An error the CLI reports as one line and an exit code (1 unless said otherwise). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The readable part of an error answer in any of the gateway's shapes. */
export function describeError(status: number, body: unknown): string {
  const b = body as Record<string, unknown> | Array<Record<string, unknown>> | null;
  if (Array.isArray(b) && b[0]) return `${b[0].errorCode ?? status}: ${b[0].message ?? ''}`.trim();
  if (b && typeof b === 'object') {
    const problem = b as { title?: string; detail?: string; errors?: Array<{ field?: string; message?: string; rule?: string }>; message?: string; details?: string; error_description?: string };
    const fields = (problem.errors ?? []).map((e) => `${e.field ?? ''}${e.field ? ': ' : ''}${e.message ?? e.rule ?? ''}`).filter(Boolean);
    const text = problem.detail ?? problem.error_description ?? problem.details ?? problem.message ?? problem.title;
    if (text || fields.length) return [text, ...fields].filter(Boolean).join('; ');
  }
  return `HTTP ${status}`;
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** The gateway's native API with a bearer token. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { accept: 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  async request<T>(method: string, pathname: string, body?: unknown, init: { signal?: AbortSignal } = {}): Promise<ApiResponse<T>> {
    let res: Response;
    try {
      res = await fetch(new URL(pathname, this.baseUrl), {
        method,
        headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: init.signal,
      });
    } catch (e) {
      throw new CliError(`cannot reach the gateway at ${this.baseUrl}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text.
    }
    if (res.status === 401) throw new CliError(`not signed in or the token expired (${describeError(401, parsed)}); run: asyncops login`, 3);
    if (!res.ok) throw new CliError(`${method} ${pathname} → ${res.status}: ${describeError(res.status, parsed)}`, res.status === 404 ? 4 : 1);
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  get<T>(pathname: string): Promise<T> {
    return this.request<T>('GET', pathname).then((r) => r.body);
  }

  post<T>(pathname: string, body: unknown): Promise<T> {
    return this.request<T>('POST', pathname, body).then((r) => r.body);
  }

  /** Opens a streaming GET (Server-Sent Events). */
  async stream(pathname: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    let res: Response;
    try {
      res = await fetch(new URL(pathname, this.baseUrl), { headers: this.headers({ accept: 'text/event-stream' }), signal });
    } catch (e) {
      throw new CliError(`cannot reach the gateway at ${this.baseUrl}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
    }
    if (!res.ok || !res.body) {
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // keep text
      }
      throw new CliError(`GET ${pathname} → ${res.status}: ${describeError(res.status, parsed)}`, res.status === 401 ? 3 : 1);
    }
    return res.body;
  }

  /**
   * Uploads a file as multipart/form-data (field `file`), streamed from disk with a known
   * Content-Length, reporting bytes sent as they leave.
   */
  upload<T>(pathname: string, file: string, onProgress: (sent: number, total: number) => void): Promise<ApiResponse<T>> {
    const size = statSync(file).size;
    const boundary = `----asyncops${randomBytes(12).toString('hex')}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file).replace(/"/g, '')}"\r\nContent-Type: text/csv\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const total = head.length + size + tail.length;
    const url = new URL(pathname, this.baseUrl);
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        { method: 'POST', headers: this.headers({ 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(total) }) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // keep text
            }
            const status = res.statusCode ?? 0;
            if (status === 401) return reject(new CliError(`not signed in or the token expired; run: asyncops login`, 3));
            if (status >= 400) return reject(new CliError(`upload refused (${status}): ${describeError(status, parsed)}`));
            resolve({ status, headers: new Headers(res.headers as Record<string, string>), body: parsed as T });
          });
        },
      );
      req.on('error', (e) => reject(new CliError(`cannot reach the gateway at ${this.baseUrl}: ${e.message}`)));
      let sent = 0;
      const progress = (n: number) => {
        sent += n;
        onProgress(sent, total);
      };
      req.write(head);
      progress(head.length);
      const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
      stream.on('error', (e) => {
        req.destroy(e);
        reject(new CliError(`cannot read ${file}: ${e.message}`));
      });
      stream.on('data', (chunk) => {
        if (!req.write(chunk)) {
          stream.pause();
          req.once('drain', () => stream.resume());
        }
        progress(chunk.length);
      });
      stream.on('end', () => {
        req.end(tail);
        progress(tail.length);
      });
    });
  }
}
