import type { ImportFailureRow } from '@asyncops/contracts';

/**
 * How many failed rows the result document lists. The tracker stores the result as one JSON
 * document, so a file of a million bad rows must not become a million-entry array; every
 * failure is in the downloadable report regardless.
 */
export const RESULT_FAILED_LIMIT = 1000;

/** Seed 001's wording, e.g. `2 sku(s) imported successfully, 6 failed.` */
export function importMessage(noun: string, done: number, failed: number): string {
  return `${done} ${noun}(s) imported successfully, ${failed} failed.`;
}

/**
 * The result of an import async action exactly as seed 001 lays it out for the type: CSV imports
 * name the row (counted without the header), JSON imports (VOUCHERS.IMPORT, ORDERS.IMPORT) do not.
 */
export function importResult(
  spec: { noun: string; failedKeyField: 'code' | 'source_id' | null },
  done: number,
  failed: number,
  rows: ImportFailureRow[],
  reportsAvailableTill?: Date,
  withRow = true,
): Record<string, unknown> {
  const entry = (r: ImportFailureRow) => ({
    ...(spec.failedKeyField ? { [spec.failedKeyField]: r.key ?? '' } : {}),
    ...(withRow ? { row: r.row } : {}),
    reason: r.reason,
  });
  return {
    message: importMessage(spec.noun, done, failed),
    failed: rows.map(entry),
    done_count: done,
    failed_count: failed,
    // The gateway turns this into the `reports` link; only a run with failed rows has a report.
    ...(failed && reportsAvailableTill ? { reports_available_till: reportsAvailableTill.toISOString() } : {}),
  };
}

/** One failed item of a bulk or metadata update in seed 001's `errors[]` form. */
export function updateError(keyField: 'code' | 'source_id' | null, r: ImportFailureRow): Record<string, string> {
  const notFound = /^Resource \S+ with id .+ not found$/.test(r.reason);
  return {
    message: notFound ? 'Resource not found' : 'Invalid payload',
    details: r.reason,
    key: notFound ? 'not_found' : 'invalid_payload',
    ...(keyField ? { [keyField]: r.key ?? '' } : {}),
  };
}

/**
 * *.BULK_UPDATE results (done_count, failed_count, reports when items failed, errors[]) and
 * *.METADATA_UPDATE results (errors[] only), as seed 001 lays them out.
 */
export function updateResult(
  kind: 'bulk' | 'metadata',
  spec: { failedKeyField: 'code' | 'source_id' | null },
  done: number,
  failed: number,
  rows: ImportFailureRow[],
  reportsAvailableTill?: Date,
): Record<string, unknown> {
  const errors = rows.map((r) => updateError(spec.failedKeyField, r));
  if (kind === 'metadata') return { errors };
  return {
    done_count: done,
    failed_count: failed,
    ...(failed && reportsAvailableTill ? { reports_available_till: reportsAvailableTill.toISOString() } : {}),
    errors,
  };
}
