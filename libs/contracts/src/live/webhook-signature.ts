import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of every webhook request. */
export const WebhookHeaders = {
  Signature: 'x-asyncops-signature',
  Timestamp: 'x-asyncops-timestamp',
  Event: 'x-asyncops-event',
  Delivery: 'x-asyncops-delivery',
} as const;

/** Receivers should reject requests signed longer ago than this (replays). */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/** Hex HMAC-SHA256 of `${timestamp}.${body}`: binding the timestamp stops replays of old bodies. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The `X-Asyncops-Signature` value: `t=<unix seconds>,v1=<hex>`. */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${webhookSignature(secret, timestamp, body)}`;
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'mismatch' | 'expired' };

/**
 * What a receiver does: parse the header, recompute over the raw body, compare in constant time,
 * and refuse timestamps outside the tolerance. Several v1 values are accepted so that a receiver
 * can verify against either secret while rotating.
 */
export function verifyWebhookSignature(
  header: string | null | undefined,
  body: string,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v && /^\d{1,12}$/.test(v)) timestamp = Number(v);
    else if (k === 'v1' && v && /^[0-9a-f]{64}$/.test(v)) candidates.push(v);
  }
  if (timestamp === undefined || !candidates.length) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(webhookSignature(secret, timestamp, body), 'hex');
  if (!candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected))) return { ok: false, reason: 'mismatch' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, timestamp };
}
