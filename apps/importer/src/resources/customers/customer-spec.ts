import { IsEmail, IsISO8601, IsOptional, Length } from 'class-validator';
import { firstOfEachKey, notWritten } from '../../imports/rows/dedupe';
import { cell, firstViolation, ResourceSpec, RowFailure, RowOutcome, ValidRow, WriteContext } from '../../imports/rows/resource-spec';

const ADDRESS_COLUMNS = ['address_line_1', 'address_line_2', 'address_city', 'address_state', 'address_postal_code', 'address_country'];

export class CustomerCsvRow {
  @Length(1, 255, { message: 'source_id is required and must be at most 255 characters' })
  sourceId!: string;

  @IsOptional()
  @Length(1, 255, { message: 'name must be at most 255 characters' })
  name?: string;

  @IsOptional()
  @IsEmail({}, { message: 'email must be a valid email address' })
  email?: string;

  @IsOptional()
  @Length(1, 64, { message: 'phone must be at most 64 characters' })
  phone?: string;

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
    const plain = { sourceId: cells.source_id?.trim() ?? '', name: cell(cells, 'name'), email: cell(cells, 'email'), phone: cell(cells, 'phone'), birthdate: cell(cells, 'birthdate') };
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
    const { unique, repeats } = firstOfEachKey(rows, customerRepeated);
    if (!unique.length) return repeats;
    const v = unique.map((r) => r.value);
    // The WHERE skips rows this import already wrote: a repeat in a later batch of the same file.
    const written: Array<{ key: string }> = await ctx.manager.query(
      `INSERT INTO "importer"."customer" AS c ("owner_id", "import_operation_id", "source_id", "name", "email", "phone", "birthdate", "address", "metadata")
       SELECT $1, $2, t.* FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::jsonb[], $9::jsonb[]) AS t
       ON CONFLICT ("owner_id", "source_id") DO UPDATE SET "name" = EXCLUDED."name", "email" = EXCLUDED."email", "phone" = EXCLUDED."phone",
         "birthdate" = EXCLUDED."birthdate", "address" = EXCLUDED."address", "metadata" = EXCLUDED."metadata",
         "import_operation_id" = EXCLUDED."import_operation_id", "updated_at" = now()
       WHERE c."import_operation_id" IS DISTINCT FROM EXCLUDED."import_operation_id"
       RETURNING "source_id" AS key`,
      [
        ctx.ownerId,
        ctx.operationId,
        v.map((x) => x.sourceId),
        v.map((x) => x.name),
        v.map((x) => x.email),
        v.map((x) => x.phone),
        v.map((x) => x.birthdate),
        v.map((x) => (x.address ? JSON.stringify(x.address) : null)),
        v.map((x) => JSON.stringify(x.metadata)),
      ],
    );
    return repeats.concat(notWritten(unique, written, customerRepeated));
  },
};
