import { writeEachKeyOnce } from '../../imports/rows/dedupe';
import { cell, firstViolation, ImportedColumn, ResourceSpec, RowFailure, RowOutcome, upsertBySourceId, ValidRow, WriteContext } from '../../imports/rows/resource-spec';
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

const PRODUCT_COLUMNS: ImportedColumn<ProductRecord>[] = [
  { name: 'source_id', type: 'text', value: (x) => x.sourceId },
  { name: 'name', type: 'text', value: (x) => x.name },
  { name: 'price', type: 'bigint', value: (x) => x.price },
  { name: 'attributes', type: 'jsonb', value: (x) => JSON.stringify(x.attributes) },
  { name: 'metadata', type: 'jsonb', value: (x) => JSON.stringify(x.metadata) },
];

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
    return writeEachKeyOnce(rows, productRepeated, (unique) => upsertBySourceId(ctx, 'product', PRODUCT_COLUMNS, unique));
  },
};
