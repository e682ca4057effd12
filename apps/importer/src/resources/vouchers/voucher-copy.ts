import { isISO8601 } from 'class-validator';
import { CopySpec, copyText, FastRow } from '../../imports/copy/copy-spec';
import { DISCOUNT_TYPES, VOUCHER_COLUMNS, VoucherRecord } from './voucher-row';
import { voucherExists } from './voucher-spec';

const CODE_WHITESPACE = /\s/;
const VALUE = /^\d{1,12}(\.\d{1,4})?$/;
const GIFT_VALUE = /^\d+$/;
const REDEMPTION_LIMIT = /^[1-9]\d{0,8}$/;
const DISCOUNTS: ReadonlySet<string> = new Set(DISCOUNT_TYPES);

/**
 * ISO 8601 checks are the costliest rule and dates repeat across a file's rows: the answer of
 * the validator the row class uses is remembered per distinct string (bounded).
 */
const isoMemo = new Map<string, boolean>();
function isIsoDate(s: string): boolean {
  let ok = isoMemo.get(s);
  if (ok === undefined) {
    ok = isISO8601(s, { strict: true });
    if (isoMemo.size >= 10_000) isoMemo.clear();
    isoMemo.set(s, ok);
  }
  return ok;
}

/** Trimmed cell or undefined when blank: the row class's `cell()`. */
function opt(values: string[], i: number): string | undefined {
  if (i < 0) return undefined;
  const v = values[i]?.trim();
  return v ? v : undefined;
}

/**
 * The voucher row rules of `parseVoucherRow` compiled for one header: column positions are
 * resolved once and each rule is a direct test instead of a class instance run through
 * class-validator. It only ever accepts: a row it is not sure about (any rule failing, a length
 * near a limit) goes to `parseVoucherRow`, which names the reason, so accepted values and
 * failure reasons are exactly those of the row class.
 */
export function compileVoucherRow(header: string[], columns: string[]): FastRow<VoucherRecord> | undefined {
  const known = new Set(VOUCHER_COLUMNS);
  const at = (name: string) => columns.lastIndexOf(name);
  const extras: Array<{ index: number; name: string }> = [];
  const names = new Set<string>();
  for (let j = 0; j < columns.length; j++) {
    if (known.has(columns[j])) continue;
    const name = header[j].trim();
    if (name === '') continue;
    // Repeated metadata columns and prototype keys behave subtly in a plain object: not compiled.
    if (names.has(name) || name === '__proto__') return undefined;
    names.add(name);
    extras.push({ index: j, name });
  }
  const iCode = at('code');
  const iType = at('voucher_type');
  const iValue = at('value');
  const iDiscount = at('discount_type');
  const iCategory = at('category');
  const iStart = at('start_date');
  const iExpiration = at('expiration_date');
  const iLimit = at('redemption_limit');
  const iActive = at('active');
  const iInfo = at('additional_info');
  if (iCode < 0) return undefined;

  return (values) => {
    const code = values[iCode].trim();
    if (code.length < 1 || code.length > 100 || CODE_WHITESPACE.test(code)) return undefined;
    const voucherType = opt(values, iType)?.toUpperCase();
    if (voucherType !== undefined && voucherType !== 'DISCOUNT_VOUCHER' && voucherType !== 'GIFT_VOUCHER') return undefined;
    const value = opt(values, iValue);
    if (value !== undefined && !VALUE.test(value)) return undefined;
    const discountType = opt(values, iDiscount)?.toUpperCase();
    if (discountType !== undefined && !DISCOUNTS.has(discountType)) return undefined;
    const category = opt(values, iCategory);
    if (category !== undefined && category.length > 255) return undefined;
    const startDate = opt(values, iStart);
    if (startDate !== undefined && !isIsoDate(startDate)) return undefined;
    const expirationDate = opt(values, iExpiration);
    if (expirationDate !== undefined && !isIsoDate(expirationDate)) return undefined;
    const limit = opt(values, iLimit);
    if (limit !== undefined && !REDEMPTION_LIMIT.test(limit)) return undefined;
    const active = opt(values, iActive)?.toLowerCase();
    if (active !== undefined && active !== 'true' && active !== 'false') return undefined;
    const additionalInfo = opt(values, iInfo);
    if (additionalInfo !== undefined && additionalInfo.length > 1000) return undefined;
    const type = voucherType ?? 'DISCOUNT_VOUCHER';
    const gift = type === 'GIFT_VOUCHER';
    if (gift) {
      if (!value || !GIFT_VALUE.test(value)) return undefined;
    } else if (value !== undefined && (!discountType || (discountType === 'PERCENT' && Number(value) > 100))) return undefined;
    if (startDate && expirationDate && Date.parse(expirationDate) < Date.parse(startDate)) return undefined;
    const metadata: Record<string, string> = {};
    for (const e of extras) {
      const v = values[e.index];
      if (v !== '') metadata[e.name] = v;
    }
    return {
      key: code,
      value: {
        code,
        type,
        discountType: gift ? null : (discountType ?? null),
        discountValue: gift ? null : (value ?? null),
        giftAmount: gift ? (value ?? null) : null,
        category: category ?? null,
        startDate: startDate ?? null,
        expirationDate: expirationDate ?? null,
        redemptionLimit: limit ? Number(limit) : null,
        active: active !== 'false',
        additionalInfo: additionalInfo ?? null,
        metadata,
      },
    };
  };
}

const t = copyText;

/**
 * Vouchers through COPY straight into `voucher`; when a code exists, those rows fail and the
 * others are COPYed again, and on a code written in between the batch is staged and created in
 * one INSERT … SELECT.
 */
export const voucherCopy: CopySpec<VoucherRecord> = {
  stage: 'voucher_stage',
  stageColumns: `"row" int NOT NULL, "code" text NOT NULL, "type" text NOT NULL, "discount_type" text, "discount_value" numeric, "gift_amount" bigint,
    "category" text, "start_date" timestamptz, "expiration_date" timestamptz, "redemption_limit" int, "active" boolean NOT NULL, "additional_info" text, "metadata" jsonb NOT NULL`,
  compile: compileVoucherRow,
  encode: (v) =>
    `${t(v.code)}\t${v.type}\t${t(v.discountType)}\t${t(v.discountValue)}\t${t(v.giftAmount)}\t${t(v.category)}\t${t(v.startDate)}\t${t(v.expirationDate)}\t${
      v.redemptionLimit === null ? '\\N' : v.redemptionLimit
    }\t${v.active ? 't' : 'f'}\t${t(v.additionalInfo)}\t${t(JSON.stringify(v.metadata))}\n`,
  merge: `WITH written AS (
      INSERT INTO "importer"."voucher" ("owner_id", "campaign_id", "import_operation_id", "code", "type", "discount_type", "discount_value", "gift_amount",
        "category", "start_date", "expiration_date", "redemption_limit", "active", "additional_info", "metadata")
      SELECT $1, $2, $3, s."code", s."type", s."discount_type", s."discount_value", s."gift_amount", s."category", s."start_date", s."expiration_date",
        s."redemption_limit", s."active", s."additional_info", s."metadata"
        FROM pg_temp."voucher_stage" s
      ON CONFLICT ("owner_id", "code") DO NOTHING
      RETURNING "code")
    SELECT s."row", s."code" AS "key" FROM pg_temp."voucher_stage" s WHERE NOT EXISTS (SELECT 1 FROM written w WHERE w."code" = s."code")`,
  notWrittenReason: voucherExists,
  direct: {
    // One index probe per code: `code = ANY($2)` would be planned as a scan of all the owner's vouchers.
    existing: `SELECT k."key" FROM unnest($2::text[]) AS k("key")
      CROSS JOIN LATERAL (SELECT 1 FROM "importer"."voucher" v WHERE v."owner_id" = $1 AND v."code" = k."key" LIMIT 1) e`,
    copy: `COPY "importer"."voucher" ("owner_id", "campaign_id", "import_operation_id", "code", "type", "discount_type", "discount_value", "gift_amount",
      "category", "start_date", "expiration_date", "redemption_limit", "active", "additional_info", "metadata") FROM STDIN`,
    prefix: (ownerId, campaignId, operationId) => `${t(ownerId)}\t${t(campaignId)}\t${t(operationId)}\t`,
  },
};
