import { IsISO8601, IsOptional } from 'class-validator';
import { writeEachKeyOnce } from '../../imports/rows/dedupe';
import { cell, firstViolation, ImportedColumn, ResourceSpec, RowFailure, RowOutcome, upsertBySourceId, ValidRow, WriteContext } from '../../imports/rows/resource-spec';
import { EmailRule, NameRule, PhoneRule, SourceIdRule, sourceIdOf } from '../fields';

const ADDRESS_COLUMNS = ['address_line_1', 'address_line_2', 'address_city', 'address_state', 'address_postal_code', 'address_country'];

export class CustomerCsvRow {
  @SourceIdRule() sourceId!: string;
  @NameRule() name?: string;
  @EmailRule() email?: string;
  @PhoneRule() phone?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'birthdate must be a date (YYYY-MM-DD)' })
  birthdate?: string;
}

interface CustomerRecord {
  sourceId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  birthdate: string | null;
  address: Record<string, string> | null;
  metadata: Record<string, string>;
}

const CUSTOMER_COLUMNS: ImportedColumn<CustomerRecord>[] = [
  { name: 'source_id', type: 'text', value: (x) => x.sourceId },
  { name: 'name', type: 'text', value: (x) => x.name },
  { name: 'email', type: 'text', value: (x) => x.email },
  { name: 'phone', type: 'text', value: (x) => x.phone },
  { name: 'birthdate', type: 'date', value: (x) => x.birthdate },
  { name: 'address', type: 'jsonb', value: (x) => (x.address ? JSON.stringify(x.address) : null) },
  { name: 'metadata', type: 'jsonb', value: (x) => JSON.stringify(x.metadata) },
];

export const customerRepeated = (id: string) => `Duplicated source_id ${id} in the file`;

/** A customer that exists is updated (Voucherify's import upserts by source_id); a repeat within one file fails. */
export const customerSpec: ResourceSpec<CustomerRecord> = {
  noun: 'customer',
  requiredColumns: ['source_id'],
  knownColumns: ['source_id', 'name', 'email', 'phone', 'birthdate', 'description', ...ADDRESS_COLUMNS],
  failedKeyField: 'source_id',
  parse(cells, metadata): RowOutcome<CustomerRecord> {
    const plain = { sourceId: sourceIdOf(cells), name: cell(cells, 'name'), email: cell(cells, 'email'), phone: cell(cells, 'phone'), birthdate: cell(cells, 'birthdate') };
    const key = plain.sourceId || null;
    const checked = firstViolation(CustomerCsvRow, plain);
    if ('reason' in checked) return { ok: false, key, reason: checked.reason };
    const address: Record<string, string> = {};
    for (const c of ADDRESS_COLUMNS) {
      const v = cell(cells, c);
      if (v) address[c.replace(/^address_/, '')] = v;
    }
    const description = cell(cells, 'description');
    return {
      ok: true,
      key: plain.sourceId,
      value: {
        sourceId: plain.sourceId,
        name: plain.name ?? null,
        email: plain.email ?? null,
        phone: plain.phone ?? null,
        birthdate: plain.birthdate ?? null,
        address: Object.keys(address).length ? address : null,
        metadata: description ? { ...metadata, description } : metadata,
      },
    };
  },
  async write(ctx: WriteContext, rows: ValidRow<CustomerRecord>[]): Promise<RowFailure[]> {
    return writeEachKeyOnce(rows, customerRepeated, (unique) => upsertBySourceId(ctx, 'customer', CUSTOMER_COLUMNS, unique));
  },
};
