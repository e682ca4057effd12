import { firstOfEachKey, notWritten } from '../../imports/rows/dedupe';
import { ResourceSpec, RowFailure, ValidRow, WriteContext } from '../../imports/rows/resource-spec';
import { parseVoucherRow, VOUCHER_COLUMNS, VoucherRecord } from './voucher-row';

export const voucherExists = (code: string) => `Resource voucher with code ${code} already exists`;

/** Vouchers are created, never overwritten: a code that exists (in the file or before) fails its row. */
export const voucherSpec: ResourceSpec<VoucherRecord> = {
  noun: 'voucher',
  requiredColumns: ['code'],
  knownColumns: VOUCHER_COLUMNS,
  failedKeyField: 'code',
  parse: parseVoucherRow,
  async write(ctx: WriteContext, rows: ValidRow<VoucherRecord>[]): Promise<RowFailure[]> {
    const { unique, repeats } = firstOfEachKey(rows, voucherExists);
    if (!unique.length) return repeats;
    const v = unique.map((r) => r.value);
    const written: Array<{ key: string }> = await ctx.manager.query(
      `INSERT INTO "importer"."voucher" ("owner_id", "campaign_id", "import_operation_id", "code", "type", "discount_type", "discount_value", "gift_amount",
         "category", "start_date", "expiration_date", "redemption_limit", "active", "additional_info", "metadata")
       SELECT $1, $2, $3, t.* FROM unnest($4::text[], $5::text[], $6::text[], $7::numeric[], $8::bigint[], $9::text[], $10::timestamptz[],
         $11::timestamptz[], $12::int[], $13::boolean[], $14::text[], $15::jsonb[]) AS t
       ON CONFLICT ("owner_id", "code") DO NOTHING
       RETURNING "code" AS key`,
      [
        ctx.ownerId,
        ctx.campaignId,
        ctx.operationId,
        v.map((x) => x.code),
        v.map((x) => x.type),
        v.map((x) => x.discountType),
        v.map((x) => x.discountValue),
        v.map((x) => x.giftAmount),
        v.map((x) => x.category),
        v.map((x) => x.startDate),
        v.map((x) => x.expirationDate),
        v.map((x) => x.redemptionLimit),
        v.map((x) => x.active),
        v.map((x) => x.additionalInfo),
        v.map((x) => JSON.stringify(x.metadata)),
      ],
    );
    return repeats.concat(notWritten(unique, written, voucherExists));
  },
};
