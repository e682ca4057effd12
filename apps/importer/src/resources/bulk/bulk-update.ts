import { IsObject, Length } from 'class-validator';
import { writeEachKeyOnce } from '../../imports/rows/dedupe';
import { firstViolation, ResourceSpec, RowFailure, RowOutcome, unnestParams, ValidRow, WriteContext } from '../../imports/rows/resource-spec';
import { EmailRule, MetadataRule, NameRule, PhoneRule, PriceRule, SourceIdRule } from '../fields';

type Json = Record<string, unknown>;

export const resourceNotFound = (noun: string, id: string) => `Resource ${noun} with id ${id} not found`;
const repeated = (id: string) => `Duplicated id ${id} in the request`;

/** Updates arrive as JSON items only: no CSV form. */
const JSON_ONLY = {
  requiredColumns: [],
  knownColumns: [],
  parse: () => ({ ok: false as const, key: null, reason: 'updates are sent as JSON only' }),
};

/** One metadata change: the resource's key and the properties merged into its metadata. */
export class MetadataChange {
  @Length(1, 255, { message: 'the resource id is required and must be at most 255 characters' })
  key!: string;

  @IsObject({ message: 'metadata must be an object' })
  metadata!: Json;
}

/**
 * Metadata merged into resources that exist (VOUCHERS.BULK_UPDATE and every *.METADATA_UPDATE):
 * a resource that does not exist is an error of the action, never created.
 */
export function metadataMergeSpec(noun: string, table: string, keyColumn: 'code' | 'source_id'): ResourceSpec<MetadataChange> {
  return {
    noun,
    ...JSON_ONLY,
    failedKeyField: keyColumn,
    parseJson(item: unknown): RowOutcome<MetadataChange> {
      const raw = (typeof item === 'object' && item !== null ? item : {}) as Json;
      const plain = { key: typeof raw[keyColumn] === 'string' ? raw[keyColumn] : '', metadata: raw.metadata };
      const checked = firstViolation(MetadataChange, plain);
      if ('reason' in checked) return { ok: false, key: plain.key || null, reason: checked.reason };
      return { ok: true, key: checked.value.key, value: checked.value };
    },
    write(ctx: WriteContext, rows: ValidRow<MetadataChange>[]): Promise<RowFailure[]> {
      const update = async (unique: ValidRow<MetadataChange>[]) => {
        // TypeORM answers an UPDATE with [rows, affected count], unlike an INSERT.
        const [written]: [Array<{ key: string }>, number] = await ctx.manager.query(
          `UPDATE "importer"."${table}" t SET "metadata" = t."metadata" || u.metadata
             FROM unnest($2::text[], $3::jsonb[]) AS u(key, metadata)
            WHERE t."owner_id" = $1 AND t."${keyColumn}" = u.key
            RETURNING t."${keyColumn}" AS key`,
          [ctx.ownerId, unique.map((r) => r.key), unique.map((r) => JSON.stringify(r.value.metadata))],
        );
        return written;
      };
      return writeEachKeyOnce(rows, repeated, update, (id) => resourceNotFound(noun, id));
    },
  };
}

export class CustomerChange {
  @SourceIdRule() source_id!: string;
  @NameRule() name?: string;
  @EmailRule() email?: string;
  @PhoneRule() phone?: string;
  @MetadataRule() metadata?: Json;
}

export class ProductChange {
  @SourceIdRule() source_id!: string;
  @NameRule() name?: string;
  @PriceRule() price?: string;
  @MetadataRule() metadata?: Json;
}

function parseWith<T extends { source_id: string }>(cls: new () => T, item: unknown, normalise: (raw: Json) => Json = (r) => r): RowOutcome<T> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return { ok: false, key: null, reason: 'Each item must be a JSON object' };
  const raw = normalise(item as Json);
  const key = typeof raw.source_id === 'string' && raw.source_id ? raw.source_id : null;
  const checked = firstViolation(cls, raw);
  if ('reason' in checked) return { ok: false, key, reason: checked.reason };
  return { ok: true, key: checked.value.source_id, value: checked.value };
}

/** CUSTOMERS.BULK_UPDATE: customers are created or updated by source_id; given fields replace, metadata merges. */
export const customerBulkSpec: ResourceSpec<CustomerChange> = {
  noun: 'customer',
  ...JSON_ONLY,
  failedKeyField: 'source_id',
  parseJson: (item) => parseWith(CustomerChange, item),
  write(ctx, rows) {
    return writeEachKeyOnce(rows, repeated, (unique) => {
      return ctx.manager.query(
        `INSERT INTO "importer"."customer" AS c ("owner_id", "import_operation_id", "source_id", "name", "email", "phone", "metadata")
         SELECT $1, $2, t.* FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[]) AS t
         ON CONFLICT ("owner_id", "source_id") DO UPDATE SET "name" = coalesce(EXCLUDED."name", c."name"), "email" = coalesce(EXCLUDED."email", c."email"),
           "phone" = coalesce(EXCLUDED."phone", c."phone"), "metadata" = c."metadata" || EXCLUDED."metadata", "updated_at" = now()
         RETURNING "source_id" AS key`,
        unnestParams(ctx, unique, [(x) => x.source_id, (x) => x.name ?? null, (x) => x.email ?? null, (x) => x.phone ?? null, (x) => JSON.stringify(x.metadata ?? {})]),
      );
    });
  },
};

/** PRODUCTS.BULK_UPDATE: products are created or updated by source_id; given fields replace, metadata merges. */
export const productBulkSpec: ResourceSpec<ProductChange> = {
  noun: 'product',
  ...JSON_ONLY,
  failedKeyField: 'source_id',
  parseJson: (item) => parseWith(ProductChange, item, (r) => ({ ...r, ...(typeof r.price === 'number' ? { price: String(r.price) } : {}) })),
  write(ctx, rows) {
    return writeEachKeyOnce(rows, repeated, (unique) => {
      return ctx.manager.query(
        `INSERT INTO "importer"."product" AS p ("owner_id", "import_operation_id", "source_id", "name", "price", "metadata")
         SELECT $1, $2, t.* FROM unnest($3::text[], $4::text[], $5::bigint[], $6::jsonb[]) AS t
         ON CONFLICT ("owner_id", "source_id") DO UPDATE SET "name" = coalesce(EXCLUDED."name", p."name"), "price" = coalesce(EXCLUDED."price", p."price"),
           "metadata" = p."metadata" || EXCLUDED."metadata", "updated_at" = now()
         RETURNING "source_id" AS key`,
        unnestParams(ctx, unique, [(x) => x.source_id, (x) => x.name ?? null, (x) => x.price ?? null, (x) => JSON.stringify(x.metadata ?? {})]),
      );
    });
  },
};
