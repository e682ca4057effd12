import type { EntityManager } from 'typeorm';
import type { ImportFailureRow, ImportFailuresPage, ItemFailure, ListImportFailuresRequest } from '@asyncops/contracts';
import { ActionNotFoundError } from '../../errors';
import { RESULT_FAILED_LIMIT } from '../import-result';
import type { RowFailure } from '../rows/resource-spec';
import { ActionRow } from './action-row';

/** Failed rows are stored with the batch that met them; a redelivered batch stores nothing twice. */
export async function storeFailures(m: EntityManager, operationId: string, failures: RowFailure[]): Promise<void> {
  if (!failures.length) return;
  await m.query(
    `INSERT INTO "importer"."import_failure" ("operation_id", "row", "key", "reason")
     SELECT $1, t.* FROM unnest($2::int[], $3::text[], $4::text[]) AS t ON CONFLICT DO NOTHING`,
    [operationId, failures.map((f) => f.row), failures.map((f) => f.key?.slice(0, 255) ?? null), failures.map((f) => f.reason)],
  );
}

/** The failed rows a result lists (the report has them all). */
export function resultFailures(m: EntityManager, operationId: string): Promise<ImportFailureRow[]> {
  return m.query(`SELECT "row", "key", "reason" FROM "importer"."import_failure" WHERE "operation_id" = $1 ORDER BY "row" LIMIT $2`, [operationId, RESULT_FAILED_LIMIT]);
}

/** A failed row as a lifecycle event carries it, cut to the tracker's column sizes. */
export function toItemFailure(f: RowFailure): ItemFailure {
  return { row: f.row, reason: f.reason.slice(0, 2000), ...(f.key ? { itemKey: f.key.slice(0, 255) } : {}) };
}

/** One page of an action's failed rows, for its report. */
export async function listFailures(m: EntityManager, req: ListImportFailuresRequest): Promise<ImportFailuresPage> {
  const [action]: ActionRow[] = await m.query(`SELECT * FROM "importer"."async_action" WHERE "operation_id" = $1 AND "owner_id" = $2`, [req.operationId, req.ownerId]);
  if (!action) throw new ActionNotFoundError(req.operationId);
  const rows: ImportFailureRow[] = await m.query(
    `SELECT "row", "key", "reason" FROM "importer"."import_failure" WHERE "operation_id" = $1 AND "row" > $2 ORDER BY "row" LIMIT $3`,
    [req.operationId, req.afterRow, req.limit + 1],
  );
  return {
    type: action.type,
    reportsAvailableTill: action.reports_available_till?.toISOString() ?? null,
    rows: rows.slice(0, req.limit),
    hasMore: rows.length > req.limit,
  };
}
