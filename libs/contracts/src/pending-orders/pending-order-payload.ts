import { createGunzip, gunzipSync } from 'node:zlib';

/** Salesforce's long textarea ceiling: the Payload field as sent (raw JSON or base64 of gzip). */
export const MAX_PAYLOAD_CHARS = 131_072;
/** Decompressed JSON_GZIP payloads stop here, so a small gzip bomb cannot take the service's memory. */
export const MAX_DECOMPRESSED_PAYLOAD_BYTES = 1_048_576;

export const PAYLOAD_TYPES = ['JSON_RAW', 'JSON_GZIP'] as const;
export type PayloadType = (typeof PAYLOAD_TYPES)[number];

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Why a payload was refused; `code` is stable and lands in the client's error and the pending record. */
export class PayloadError extends Error {
  constructor(
    readonly code:
      | 'PAYLOAD_TOO_LARGE'
      | 'PAYLOAD_NOT_BASE64'
      | 'PAYLOAD_NOT_GZIP'
      | 'PAYLOAD_DECOMPRESSED_TOO_LARGE'
      | 'PAYLOAD_INFLATE_BUDGET_SPENT'
      | 'PAYLOAD_NOT_JSON'
      | 'PAYLOAD_NOT_OBJECT',
    message: string,
  ) {
    super(message);
    this.name = 'PayloadError';
  }
}

export interface PayloadLimits {
  maxChars: number;
  maxDecompressedBytes: number;
}

export const DEFAULT_PAYLOAD_LIMITS: PayloadLimits = { maxChars: MAX_PAYLOAD_CHARS, maxDecompressedBytes: MAX_DECOMPRESSED_PAYLOAD_BYTES };

/** Output chunk of the streaming inflate: each is one round trip to the thread pool, and a budget check. */
const INFLATE_CHUNK_BYTES = 64 * 1024;
/**
 * A payload inflating to no more than this is inflated in one synchronous call: no more work than one
 * chunk of the streaming inflate, without a stream, a thread-pool round trip and a timer per payload
 * (most orders' payloads are a few kilobytes). Larger ones take the streaming path.
 */
const SYNC_INFLATE_MAX_BYTES = INFLATE_CHUNK_BYTES;
/** Synchronous inflating of one request in a row, past which the event loop gets a turn. */
const SYNC_INFLATE_SLICE_MS = 10;

/**
 * What one request may spend inflating JSON_GZIP payloads, all of them together: inflated bytes and
 * time spent inflating. Without it a bulk request of ten thousand small gzip bombs, each under the
 * per-payload cap, would still cost gigabytes of inflation.
 */
export class InflateBudget {
  private bytes = 0;
  private ms = 0;
  /** Synchronous inflating since the event loop last had a turn. */
  private syncMs = 0;

  constructor(
    readonly maxBytes: number,
    readonly maxMs: number,
  ) {}

  /** Unlimited: one payload's own cap is the only bound (work already admitted, such as a stored record's conversion). */
  static unlimited(): InflateBudget {
    return new InflateBudget(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  get remainingMs(): number {
    return this.maxMs - this.ms;
  }

  get spent(): boolean {
    return this.bytes > this.maxBytes || this.ms >= this.maxMs;
  }

  /** Counts inflated bytes; false once the budget is exceeded. */
  charge(bytes: number): boolean {
    this.bytes += bytes;
    return this.bytes <= this.maxBytes;
  }

  chargeTime(ms: number): void {
    this.ms += ms;
  }

  /** Counts synchronous inflate time; past a slice of it in a row, lets the event loop turn first. */
  async chargeSyncTime(ms: number): Promise<void> {
    this.chargeTime(ms);
    this.syncMs += ms;
    if (this.syncMs < SYNC_INFLATE_SLICE_MS) return;
    this.syncMs = 0;
    await new Promise((resolve) => setImmediate(resolve));
  }

  error(): PayloadError {
    return new PayloadError(
      'PAYLOAD_INFLATE_BUDGET_SPENT',
      `Payload: this request's decompression budget is spent (rule inflateBudget: at most ${this.maxBytes} inflated bytes and ${this.maxMs} ms of inflating for all JSON_GZIP payloads of one request); send the rest in another request`,
    );
  }
}

/**
 * Inflates on the thread pool, a chunk at a time, so the event loop keeps serving other requests
 * while a large payload inflates. Stops at the payload's own cap, at the request's byte budget and
 * when the request's inflate time runs out, whichever comes first.
 */
function inflate(raw: Buffer, maxBytes: number, budget: InflateBudget): Promise<Buffer> {
  if (budget.spent) return Promise.reject(budget.error());
  return new Promise<Buffer>((resolve, reject) => {
    const gunzip = createGunzip({ chunkSize: INFLATE_CHUNK_BYTES });
    const parts: Buffer[] = [];
    let total = 0;
    let settled = false;
    const began = process.hrtime.bigint();
    const settle = (outcome: { error: PayloadError } | { value: Buffer }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      budget.chargeTime(Number(process.hrtime.bigint() - began) / 1e6);
      if ('error' in outcome) {
        gunzip.destroy();
        reject(outcome.error);
      } else resolve(outcome.value);
    };
    const timer = setTimeout(() => settle({ error: budget.error() }), Math.max(0, Math.min(budget.remainingMs, 2_147_483_647)));
    gunzip.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) settle({ error: new PayloadError('PAYLOAD_DECOMPRESSED_TOO_LARGE', `Payload: decompresses to more than ${maxBytes} bytes`) });
      else if (!budget.charge(chunk.length)) settle({ error: budget.error() });
      else parts.push(chunk);
    });
    gunzip.on('error', () => settle({ error: new PayloadError('PAYLOAD_NOT_GZIP', 'Payload: JSON_GZIP payloads must be base64 of gzip data') }));
    gunzip.on('end', () => settle({ value: Buffer.concat(parts, total) }));
    gunzip.end(raw);
  });
}

/**
 * A small payload in one synchronous call, bounded by `SYNC_INFLATE_MAX_BYTES` of output; undefined
 * when it inflates to more (the streaming path then applies the cap and the budget as it goes).
 */
async function inflateSmall(raw: Buffer, budget: InflateBudget): Promise<Buffer | undefined> {
  if (budget.spent) throw budget.error();
  const began = performance.now();
  let inflated: Buffer | undefined;
  let failure: PayloadError | undefined;
  try {
    inflated = gunzipSync(raw, { maxOutputLength: SYNC_INFLATE_MAX_BYTES });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') failure = new PayloadError('PAYLOAD_NOT_GZIP', 'Payload: JSON_GZIP payloads must be base64 of gzip data');
  }
  await budget.chargeSyncTime(performance.now() - began);
  if (failure) throw failure;
  if (inflated && !budget.charge(inflated.length)) throw budget.error();
  return inflated;
}

async function inflateWithin(raw: Buffer, maxBytes: number, budget: InflateBudget): Promise<Buffer> {
  const small = maxBytes >= SYNC_INFLATE_MAX_BYTES ? await inflateSmall(raw, budget) : undefined;
  return small ?? inflate(raw, maxBytes, budget);
}

/**
 * The JSON object a Payload carries. A JSON_GZIP payload is inflated under the payload's cap and
 * the request's budget (see `InflateBudget`); nothing is inflated in full and measured afterwards.
 * One inflating to at most 64 KiB is inflated in one synchronous call (the request lets the event
 * loop turn after every 10 ms of those), a larger one asynchronously on the thread pool, 64 KiB at a time.
 */
export async function decodePendingOrderPayload(
  payload: string,
  type: PayloadType,
  limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS,
  budget: InflateBudget = InflateBudget.unlimited(),
): Promise<Record<string, unknown>> {
  return parsePayloadText(
    type === 'JSON_GZIP' ? (await inflateWithin(base64Of(payload, limits), limits.maxDecompressedBytes, budget)).toString('utf8') : rawText(payload, limits),
  );
}

/**
 * The same decoding for a payload already admitted (a stored record's conversion), inflated in one
 * synchronous call: a stored payload inflated within the cap when it was checked, and inflating a
 * small one on the thread pool costs far more than the inflating. The cap still stops the call
 * (`maxOutputLength`), so the loop is blocked at most for one payload of the cap's size.
 */
export function decodeAdmittedPendingOrderPayload(payload: string, type: PayloadType, limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS): Record<string, unknown> {
  if (type !== 'JSON_GZIP') return parsePayloadText(rawText(payload, limits));
  const compressed = base64Of(payload, limits);
  let inflated: Buffer;
  try {
    inflated = gunzipSync(compressed, { maxOutputLength: limits.maxDecompressedBytes });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new PayloadError('PAYLOAD_DECOMPRESSED_TOO_LARGE', `Payload: decompresses to more than ${limits.maxDecompressedBytes} bytes`);
    throw new PayloadError('PAYLOAD_NOT_GZIP', 'Payload: JSON_GZIP payloads must be base64 of gzip data');
  }
  return parsePayloadText(inflated.toString('utf8'));
}

function base64Of(payload: string, limits: PayloadLimits): Buffer {
  if (payload.length > limits.maxChars) throw new PayloadError('PAYLOAD_TOO_LARGE', `Payload: longer than ${limits.maxChars} characters`);
  const compact = payload.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) throw new PayloadError('PAYLOAD_NOT_BASE64', 'Payload: JSON_GZIP payloads must be valid base64');
  return Buffer.from(compact, 'base64');
}

function rawText(payload: string, limits: PayloadLimits): string {
  if (payload.length > limits.maxChars) throw new PayloadError('PAYLOAD_TOO_LARGE', `Payload: longer than ${limits.maxChars} characters`);
  if (Buffer.byteLength(payload, 'utf8') > limits.maxDecompressedBytes) throw new PayloadError('PAYLOAD_TOO_LARGE', `Payload: larger than ${limits.maxDecompressedBytes} bytes`);
  return payload;
}

function parsePayloadText(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PayloadError('PAYLOAD_NOT_JSON', 'Payload: not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new PayloadError('PAYLOAD_NOT_OBJECT', 'Payload: must be a JSON object');
  return parsed as Record<string, unknown>;
}
