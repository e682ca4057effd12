import { createHmac } from 'node:crypto';
import { signatureHeader, verifyWebhookSignature, webhookSignature } from './webhook-signature';

const SECRET = 'whsec_test-secret';
const BODY = '{"id":"d1","event":"finished"}';
const T = 1_764_500_000;

describe('webhook signatures', () => {
  it('is the hex HMAC-SHA256 of "<timestamp>.<body>" with the secret', () => {
    const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(webhookSignature(SECRET, T, BODY)).toBe(expected);
    expect(signatureHeader(SECRET, T, BODY)).toBe(`t=${T},v1=${expected}`);
  });

  it('verifies a fresh, untouched request', () => {
    expect(verifyWebhookSignature(signatureHeader(SECRET, T, BODY), BODY, SECRET, T + 10)).toEqual({ ok: true, timestamp: T });
  });

  it('rejects a changed body, a wrong secret and a moved timestamp', () => {
    const header = signatureHeader(SECRET, T, BODY);
    expect(verifyWebhookSignature(header, BODY.replace('finished', 'failed'), SECRET, T)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature(header, BODY, 'whsec_other', T)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature(header.replace(`t=${T}`, `t=${T + 1}`), BODY, SECRET, T)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects a replay outside the tolerance window', () => {
    expect(verifyWebhookSignature(signatureHeader(SECRET, T, BODY), BODY, SECRET, T + 301)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects headers it cannot parse', () => {
    for (const h of [undefined, '', 'v1=abc', `t=${T}`, `t=x,v1=${'a'.repeat(64)}`]) {
      expect(verifyWebhookSignature(h, BODY, SECRET, T)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('accepts any of several v1 values, for secret rotation', () => {
    const header = `t=${T},v1=${'0'.repeat(64)},v1=${webhookSignature(SECRET, T, BODY)}`;
    expect(verifyWebhookSignature(header, BODY, SECRET, T).ok).toBe(true);
  });
});
