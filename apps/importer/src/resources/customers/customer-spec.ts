import { IsISO8601, IsOptional } from 'class-validator';
import { writeEachKeyOnce } from '../../imports/rows/dedupe';
import { cell, firstViolation, ResourceSpec, RowFailure, RowOutcome, unnestParams, ValidRow, WriteContext } from '../../imports/rows/resource-spec';
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
    return writeEachKeyOnce(rows, customerRepeated, (unique) => {
      // The WHERE skips rows this import already wrote: a repeat in a later batch of the same file.
      return ctx.manager.query(
        `INSERT INTO "importer"."customer" AS c ("owner_id", "import_operation_id", "source_id", "name", "email", "phone", "birthdate", "address", "metadata")
         SELECT $1, $2, t.* FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::jsonb[], $9::jsonb[]) AS t
         ON CONFLICT ("owner_id", "source_id") DO UPDATE SET "name" = EXCLUDED."name", "email" = EXCLUDED."email", "phone" = EXCLUDED."phone",
           "birthdate" = EXCLUDED."birthdate", "address" = EXCLUDED."address", "metadata" = EXCLUDED."metadata",
           "import_operation_id" = EXCLUDED."import_operation_id", "updated_at" = now()
         WHERE c."import_operation_id" IS DISTINCT FROM EXCLUDED."import_operation_id"
         RETURNING "source_id" AS key`,
        unnestParams(ctx, unique, [
          (x) => x.sourceId,
          (x) => x.name,
          (x) => x.email,
          (x) => x.phone,
          (x) => x.birthdate,
          (x) => (x.address ? JSON.stringify(x.address) : null),
          (x) => JSON.stringify(x.metadata),
        ]),
      );
    });
  },
};
