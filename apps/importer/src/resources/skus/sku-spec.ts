import { IsOptional, Length } from 'class-validator';
import { firstOfEachKey, notWritten } from '../../imports/rows/dedupe';
import { cell, firstViolation, ResourceSpec, RowFailure, RowOutcome, upsertBySourceId, ValidRow, WriteContext } from '../../imports/rows/resource-spec';
import { PriceRule, SourceIdRule, sourceIdOf } from '../fields';

export class SkuCsvRow {
  @SourceIdRule() sourceId!: string;

  @Length(1, 255, { message: 'product_id is required and must be at most 255 characters' })
  productId!: string;

  @IsOptional()
  @Length(1, 255, { message: 'sku must be at most 255 characters' })
  sku?: string;

  @PriceRule() price?: string;
}

interface SkuRecord {
  sourceId: string;
  productId: string;
  sku: string | null;
  price: string | null;
  attributes: Record<string, string>;
}

export const skuRepeated = (id: string) => `Duplicated source_id ${id} in the file`;
export const productMissing = (id: string) => `Resource product with id ${id} not found`;

/**
 * SKUs belong to a product named by its source_id (`product_id` column); every column besides
 * the known ones is an attribute value of the SKU, as in Voucherify's SKU import.
 */
export const skuSpec: ResourceSpec<SkuRecord> = {
  noun: 'sku',
  requiredColumns: ['source_id', 'product_id'],
  knownColumns: ['source_id', 'product_id', 'sku', 'price'],
  failedKeyField: null,
  parse(cells, extra): RowOutcome<SkuRecord> {
    const plain = { sourceId: sourceIdOf(cells), productId: cells.product_id?.trim() ?? '', sku: cell(cells, 'sku'), price: cell(cells, 'price') };
    const key = plain.sourceId || null;
    const checked = firstViolation(SkuCsvRow, plain);
    if ('reason' in checked) return { ok: false, key, reason: checked.reason };
    return { ok: true, key: plain.sourceId, value: { sourceId: plain.sourceId, productId: plain.productId, sku: plain.sku ?? null, price: plain.price ?? null, attributes: extra } };
  },
  async write(ctx: WriteContext, rows: ValidRow<SkuRecord>[]): Promise<RowFailure[]> {
    const { unique, repeats } = firstOfEachKey(rows, skuRepeated);
    if (!unique.length) return repeats;
    const productIds = [...new Set(unique.map((r) => r.value.productId))];
    const products: Array<{ id: string; source_id: string }> = await ctx.manager.query(
      `SELECT "id", "source_id" FROM "importer"."product" WHERE "owner_id" = $1 AND "source_id" = ANY($2::text[])`,
      [ctx.ownerId, productIds],
    );
    const productOf = new Map(products.map((p) => [p.source_id, p.id]));
    const missing = unique.filter((r) => !productOf.has(r.value.productId)).map((r) => ({ row: r.row, key: r.key, reason: productMissing(r.value.productId) }));
    const ready = unique.filter((r) => productOf.has(r.value.productId));
    if (!ready.length) return repeats.concat(missing);
    const written = await upsertBySourceId(
      ctx,
      'sku',
      [
        { name: 'source_id', type: 'text', value: (x) => x.sourceId },
        { name: 'product_id', type: 'uuid', value: (x) => productOf.get(x.productId) },
        { name: 'sku', type: 'text', value: (x) => x.sku },
        { name: 'price', type: 'bigint', value: (x) => x.price },
        { name: 'attributes', type: 'jsonb', value: (x) => JSON.stringify(x.attributes) },
      ],
      ready,
    );
    return repeats.concat(missing, notWritten(ready, written, skuRepeated));
  },
};
