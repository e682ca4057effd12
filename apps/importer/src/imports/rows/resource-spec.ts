import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { EntityManager } from 'typeorm';

/** One parsed, validated CSV row, ready to be written. */
export interface ValidRow<T> {
  row: number;
  key: string;
  value: T;
}

export interface RowFailure {
  row: number;
  key: string | null;
  reason: string;
}

export type RowOutcome<T> = { ok: true; key: string; value: T } | { ok: false; key: string | null; reason: string };

export interface WriteContext {
  manager: EntityManager;
  ownerId: string;
  operationId: string;
  campaignId: string | null;
}

/**
 * What differs between the CSV imports of seed 001: the column set, row validation, how a
 * batch is written and how a failure names its row in the result.
 */
export interface ResourceSpec<T> {
  /** The noun of the result message: `2 sku(s) imported successfully, 6 failed.` */
  noun: string;
  /** Normalised column names a file must have. */
  requiredColumns: string[];
  /** Normalised column names that map to fields; every other column becomes a metadata key. */
  knownColumns: string[];
  /** The result's failed[] key for this type, or none (SKUs report only row and reason). */
  failedKeyField: 'code' | 'source_id' | null;
  parse(cells: Record<string, string>, metadata: Record<string, string>): RowOutcome<T>;
  /** One item of a JSON import, for the types that have one. */
  parseJson?(item: unknown): RowOutcome<T>;
  /** Writes the rows; returns those that could not be written, with the reason. */
  write(ctx: WriteContext, rows: ValidRow<T>[]): Promise<RowFailure[]>;
}

/**
 * Validates a plain row against a class-validator class. The reason names the column and the
 * rule, as Voucherify's own import reports do, and only the first problem is given: one row
 * failure carries one reason.
 */
export function firstViolation<T extends object>(cls: new () => T, plain: Record<string, unknown>): { value: T } | { reason: string } {
  const value = plainToInstance(cls, plain);
  const errors = validateSync(value, { skipMissingProperties: false, stopAtFirstError: true });
  if (!errors.length) return { value };
  const constraints = errors[0].constraints ?? {};
  const message = Object.values(constraints)[0] ?? `${errors[0].property} is invalid`;
  return { reason: message };
}

/** Empty cells are absent values; everything else is trimmed once, here. */
export function cell(cells: Record<string, string>, name: string): string | undefined {
  const v = cells[name]?.trim();
  return v ? v : undefined;
}

/**
 * The parameters of a batch upsert through `unnest`: the owner and the operation ($1, $2), then one
 * array per column, in the order of the statement's columns.
 */
export function unnestParams<T>(ctx: WriteContext, rows: ValidRow<T>[], columns: Array<(value: T) => unknown>): unknown[] {
  return [ctx.ownerId, ctx.operationId, ...columns.map((column) => rows.map((r) => column(r.value)))];
}

/** A column an import writes: its name, its element type in the unnest arrays, and its value in a checked row. */
export interface ImportedColumn<T> {
  name: string;
  type: string;
  value: (row: T) => unknown;
}

/**
 * Writes rows keyed on the owner's `source_id` (the first column): a new key is inserted, an existing
 * one gets every column and this import's id. The WHERE skips rows this import already wrote (a
 * repeat in a later batch of the same file), so only the keys written come back.
 */
export function upsertBySourceId<T>(ctx: WriteContext, table: string, columns: ImportedColumn<T>[], rows: ValidRow<T>[]): Promise<Array<{ key: string }>> {
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  const arrays = columns.map((c, i) => `$${i + 3}::${c.type}[]`).join(', ');
  const updates = columns
    .filter((c) => c.name !== 'source_id')
    .map((c) => `"${c.name}" = EXCLUDED."${c.name}", `)
    .join('');
  return ctx.manager.query(
    `INSERT INTO "importer"."${table}" AS r ("owner_id", "import_operation_id", ${names})
     SELECT $1, $2, t.* FROM unnest(${arrays}) AS t
     ON CONFLICT ("owner_id", "source_id") DO UPDATE SET ${updates}"import_operation_id" = EXCLUDED."import_operation_id", "updated_at" = now()
     WHERE r."import_operation_id" IS DISTINCT FROM EXCLUDED."import_operation_id"
     RETURNING "source_id" AS key`,
    unnestParams(
      ctx,
      rows,
      columns.map((c) => c.value),
    ),
  );
}
