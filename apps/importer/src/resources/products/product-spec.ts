import { writeEachKeyOnce } from '../../imports/rows/dedupe';
import { cell, firstViolation, ResourceSpec, RowFailure, RowOutcome, unnestParams, ValidRow, WriteContext } from '../../imports/rows/resource-spec';
import { NameRule, PriceRule, SourceIdRule, sourceIdOf } from '../fields';

export class ProductCsvRow {
  @SourceIdRule() sourceId!: string;
  @NameRule() name?: string;
  @PriceRule() price?: string;
}

interface ProductRecord {
  sourceId: string;
  name: string | null;
  price: string | null;
  attributes: string[];
  metadata: Record<string, string>;
}

export const productRepeated = (id: string) => `Duplicated source_id ${id} in the file`;

/** Products upsert by source_id; `attributes` is a comma-separated list of attribute names. */
export const productSpec: ResourceSpec<ProductRecord> = {
  noun: 'product',
  requiredColumns: ['source_id'],
  knownColumns: ['source_id', 'name', 'price', 'attributes'],
  failedKeyField: 'source_id',
  parse(cells, metadata): RowOutcome<ProductRecord> {
    const plain = { sourceId: sourceIdOf(cells), name: cell(cells, 'name'), price: cell(cells, 'price') };
    const key = plain.sourceId || null;
    const checked = firstViolation(ProductCsvRow, plain);
    if ('reason' in checked) return { ok: false, key, reason: checked.reason };
    const attributes = (cell(cells, 'attributes') ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    return { ok: true, key: plain.sourceId, value: { sourceId: plain.sourceId, name: plain.name ?? null, price: plain.price ?? null, attributes, metadata } };
  },
  async write(ctx: WriteContext, rows: ValidRow<ProductRecord>[]): Promise<RowFailure[]> {
    return writeEachKeyOnce(rows, productRepeated, (unique) => {
      return ctx.manager.query(
        `INSERT INTO "importer"."product" AS p ("owner_id", "import_operation_id", "source_id", "name", "price", "attributes", "metadata")
         SELECT $1, $2, t.* FROM unnest($3::text[], $4::text[], $5::bigint[], $6::jsonb[], $7::jsonb[]) AS t
         ON CONFLICT ("owner_id", "source_id") DO UPDATE SET "name" = EXCLUDED."name", "price" = EXCLUDED."price", "attributes" = EXCLUDED."attributes",
           "metadata" = EXCLUDED."metadata", "import_operation_id" = EXCLUDED."import_operation_id", "updated_at" = now()
         WHERE p."import_operation_id" IS DISTINCT FROM EXCLUDED."import_operation_id"
         RETURNING "source_id" AS key`,
        unnestParams(ctx, unique, [
          (x) => x.sourceId,
          (x) => x.name,
          (x) => x.price,
          (x) => JSON.stringify(x.attributes),
          (x) => JSON.stringify(x.metadata),
        ]),
      );
    });
  },
};
