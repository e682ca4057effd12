import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsObject, IsOptional, Min } from 'class-validator';
import { writeEachKeyOnce } from '../../imports/rows/dedupe';
import { firstViolation, RowFailure, RowOutcome, unnestParams, ValidRow, WriteContext } from '../../imports/rows/resource-spec';
import { MetadataRule, SourceIdRule } from '../fields';

export const ORDER_STATUSES = ['CREATED', 'PAID', 'CANCELED', 'FULFILLED'] as const;

/** The fields of Voucherify's order object that an imported order keeps. */
export class OrderJsonItem {
  @SourceIdRule() source_id!: string;

  @IsOptional()
  @IsIn(ORDER_STATUSES, { message: `status must be one of ${ORDER_STATUSES.join(', ')}` })
  status?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'amount must be an integer amount in cents' })
  @Min(0, { message: 'amount must not be negative' })
  amount?: number;

  @IsOptional()
  @IsArray({ message: 'items must be an array' })
  items?: unknown[];

  @IsOptional()
  @IsObject({ message: 'customer must be an object' })
  customer?: Record<string, unknown>;

  @MetadataRule() metadata?: Record<string, unknown>;
}

export const orderRepeated = (id: string) => `Duplicated source_id ${id} in the import`;

export function parseOrderJson(item: unknown): RowOutcome<OrderJsonItem> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return { ok: false, key: null, reason: 'Each order must be a JSON object' };
  const raw = item as Record<string, unknown>;
  const key = typeof raw.source_id === 'string' && raw.source_id ? raw.source_id : null;
  const checked = firstViolation(OrderJsonItem, raw);
  if ('reason' in checked) return { ok: false, key, reason: checked.reason };
  return { ok: true, key: checked.value.source_id, value: checked.value };
}

/** Orders upsert by source_id, like the other resources; a repeat within one import fails. */
export function writeOrders(ctx: WriteContext, rows: ValidRow<OrderJsonItem>[]): Promise<RowFailure[]> {
  return writeEachKeyOnce(rows, orderRepeated, (unique) => {
    return ctx.manager.query(
      `INSERT INTO "importer"."imported_order" AS o ("owner_id", "import_operation_id", "source_id", "status", "amount", "items", "customer", "metadata")
       SELECT $1, $2, t.* FROM unnest($3::text[], $4::text[], $5::bigint[], $6::jsonb[], $7::jsonb[], $8::jsonb[]) AS t
       ON CONFLICT ("owner_id", "source_id") DO UPDATE SET "status" = EXCLUDED."status", "amount" = EXCLUDED."amount", "items" = EXCLUDED."items",
         "customer" = EXCLUDED."customer", "metadata" = EXCLUDED."metadata", "import_operation_id" = EXCLUDED."import_operation_id"
       WHERE o."import_operation_id" IS DISTINCT FROM EXCLUDED."import_operation_id"
       RETURNING "source_id" AS key`,
      unnestParams(ctx, unique, [
        (x) => x.source_id,
        (x) => x.status ?? null,
        (x) => x.amount ?? null,
        (x) => JSON.stringify(x.items ?? []),
        (x) => (x.customer ? JSON.stringify(x.customer) : null),
        (x) => JSON.stringify(x.metadata ?? {}),
      ]),
    );
  });
}
