import { gunzipSync } from 'node:zlib';

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
    readonly code: 'PAYLOAD_TOO_LARGE' | 'PAYLOAD_NOT_BASE64' | 'PAYLOAD_NOT_GZIP' | 'PAYLOAD_DECOMPRESSED_TOO_LARGE' | 'PAYLOAD_NOT_JSON' | 'PAYLOAD_NOT_OBJECT',
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

/**
 * The JSON object a Payload carries. gunzip runs with `maxOutputLength`: zlib stops inflating as
 * soon as the output passes the cap instead of inflating everything and measuring afterwards.
 */
export function decodePendingOrderPayload(payload: string, type: PayloadType, limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS): Record<string, unknown> {
  if (payload.length > limits.maxChars) throw new PayloadError('PAYLOAD_TOO_LARGE', `Payload: longer than ${limits.maxChars} characters`);
  let text: string;
  if (type === 'JSON_GZIP') {
    const compact = payload.replace(/\s+/g, '');
    if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) throw new PayloadError('PAYLOAD_NOT_BASE64', 'Payload: JSON_GZIP payloads must be valid base64');
    let raw: Buffer;
    try {
      raw = gunzipSync(Buffer.from(compact, 'base64'), { maxOutputLength: limits.maxDecompressedBytes });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
        throw new PayloadError('PAYLOAD_DECOMPRESSED_TOO_LARGE', `Payload: decompresses to more than ${limits.maxDecompressedBytes} bytes`);
      }
      throw new PayloadError('PAYLOAD_NOT_GZIP', 'Payload: JSON_GZIP payloads must be base64 of gzip data');
    }
    text = raw.toString('utf8');
  } else {
    if (Buffer.byteLength(payload, 'utf8') > limits.maxDecompressedBytes) throw new PayloadError('PAYLOAD_TOO_LARGE', `Payload: larger than ${limits.maxDecompressedBytes} bytes`);
    text = payload;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PayloadError('PAYLOAD_NOT_JSON', 'Payload: not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new PayloadError('PAYLOAD_NOT_OBJECT', 'Payload: must be a JSON object');
  return parsed as Record<string, unknown>;
}
