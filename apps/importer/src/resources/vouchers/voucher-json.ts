import { RowOutcome } from '../../imports/rows/resource-spec';
import { parseVoucherRow, VoucherRecord } from './voucher-row';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * A voucher of a JSON import (Voucherify's voucher object: code, type, discount{type, amount_off |
 * percent_off | unit_off}, gift{amount}, category, start_date, expiration_date, redemption{quantity},
 * active, additional_info, metadata), checked by the same rules as a CSV row.
 */
export function parseVoucherJson(item: unknown): RowOutcome<VoucherRecord> {
  if (!isObject(item)) return { ok: false, key: null, reason: 'Each voucher must be a JSON object' };
  const discount = isObject(item.discount) ? item.discount : {};
  const gift = isObject(item.gift) ? item.gift : {};
  const redemption = isObject(item.redemption) ? item.redemption : {};
  if (item.metadata !== undefined && !isObject(item.metadata)) return { ok: false, key: text(item.code) || null, reason: 'metadata must be an object' };
  const type = text(item.type);
  const value = type.toUpperCase() === 'GIFT_VOUCHER' ? gift.amount : (discount.amount_off ?? discount.percent_off ?? discount.unit_off);
  const outcome = parseVoucherRow(
    {
      code: text(item.code),
      voucher_type: type,
      value: text(value),
      discount_type: text(discount.type),
      category: text(item.category),
      start_date: text(item.start_date),
      expiration_date: text(item.expiration_date),
      redemption_limit: text(redemption.quantity),
      active: text(item.active),
      additional_info: text(item.additional_info),
    },
    {},
  );
  return outcome.ok ? { ...outcome, value: { ...outcome.value, metadata: (item.metadata as Record<string, string> | undefined) ?? {} } } : outcome;
}
