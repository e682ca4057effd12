import { randomInt } from 'node:crypto';
import type { CodeConfig } from '@asyncops/contracts';

export const GENERATE_TYPE = 'CAMPAIGN.VOUCHERS_GENERATE';
export const CAMPAIGN_UPDATE_TYPE = 'CAMPAIGN.VOUCHERS_UPDATE';
export const CAMPAIGN_DELETE_TYPE = 'CAMPAIGN.VOUCHERS_DELETE';

/** The table behind each purgeable resource. */
export const PURGE_TABLES = { campaign: 'campaign', customer: 'customer', product: 'product', voucher: 'voucher', order: 'imported_order' } as const;

/** How many distinct codes a config can produce (capped: only "enough or not" matters). */
export function codeSpace(config: CodeConfig): number {
  const distinct = new Set(config.charset).size;
  return Math.min(Number.MAX_SAFE_INTEGER, distinct ** config.length);
}

/**
 * `n` random codes of the pattern, distinct among themselves. Uniqueness against existing codes
 * is the database's job (the unique index); the caller draws again for the ones that collided.
 */
export function generateCodes(config: CodeConfig, n: number, draw: (max: number) => number = randomInt): string[] {
  const chars = [...new Set(config.charset)];
  const out = new Set<string>();
  // Bounded: a nearly exhausted space must not spin forever; the caller sees fewer codes.
  for (let attempts = 0; out.size < n && attempts < n * 20; attempts++) {
    let body = '';
    for (let i = 0; i < config.length; i++) body += chars[draw(chars.length)];
    out.add(`${config.prefix}${body}${config.postfix}`);
  }
  return [...out];
}
