import type { ImportFailureRow } from '@asyncops/contracts';
import type {
  BulkUpdateResult,
  CustomerBulkUpdateError,
  CustomerCsvImportFailure,
  ImportResult,
  MetadataUpdateError,
  MetadataUpdateResult,
  OrderImportFailure,
  ProductBulkUpdateError,
  ProductCsvImportFailure,
  SkuCsvImportFailure,
  VoucherBulkUpdateError,
  VoucherCsvImportFailure,
  VoucherImportFailure,
} from '@asyncops/domain';

/**
 * How many failed rows the result document lists. The tracker stores the result as one JSON
 * document, so a file of a million bad rows must not become a million-entry array; every
 * failure is in the downloadable report regardless.
 */
export const RESULT_FAILED_LIMIT = 1000;

/** One entry of an import result's `failed[]`, in the shape seed 001 gives the type. */
export type ImportFailureEntry = VoucherImportFailure | VoucherCsvImportFailure | CustomerCsvImportFailure | ProductCsvImportFailure | SkuCsvImportFailure | OrderImportFailure;

/** One entry of an update result's `errors[]`: seed 001's error, naming the item when the type has a key. */
export type UpdateError = MetadataUpdateError | VoucherBulkUpdateError | CustomerBulkUpdateError | ProductBulkUpdateError;

/**
 * A result as the importer stores it: the gateway derives the `reports` link from
 * `reports_available_till`, which only a run with failed rows has.
 */
type WithReportWindow<R> = Omit<R, 'reports' | 'reports_available_till'> & { reports_available_till?: string };

export type StoredImportResult = WithReportWindow<ImportResult<ImportFailureEntry>>;
export type StoredBulkUpdateResult = WithReportWindow<BulkUpdateResult<UpdateError>>;

/** Seed 001's wording, e.g. `2 sku(s) imported successfully, 6 failed.` */
export function importMessage(noun: string, done: number, failed: number): string {
  return `${done} ${noun}(s) imported successfully, ${failed} failed.`;
}

function failedEntry(keyField: 'code' | 'source_id' | null, withRow: boolean, r: ImportFailureRow): ImportFailureEntry {
  const at = withRow ? { row: r.row } : {};
  if (keyField === 'code') return { code: r.key ?? '', ...at, reason: r.reason };
  if (keyField === 'source_id') return { source_id: r.key ?? '', ...at, reason: r.reason };
  // SKUs, the one type without a key, come only from CSV files: the row names them.
  return { row: r.row, reason: r.reason };
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
): StoredImportResult {
  return {
    message: importMessage(spec.noun, done, failed),
    failed: rows.map((r) => failedEntry(spec.failedKeyField, withRow, r)),
    done_count: done,
    failed_count: failed,
    ...reportWindow(failed, reportsAvailableTill),
  };
}

/** The gateway turns this into the `reports` link; only a run with failed rows has a report. */
function reportWindow(failed: number, reportsAvailableTill: Date | undefined): { reports_available_till?: string } {
  return failed && reportsAvailableTill ? { reports_available_till: reportsAvailableTill.toISOString() } : {};
}

/** One failed item of a bulk or metadata update in seed 001's `errors[]` form. */
export function updateError(keyField: 'code' | 'source_id' | null, r: ImportFailureRow): UpdateError {
  const notFound = /^Resource \S+ with id .+ not found$/.test(r.reason);
  const error: MetadataUpdateError = {
    message: notFound ? 'Resource not found' : 'Invalid payload',
    details: r.reason,
    key: notFound ? 'not_found' : 'invalid_payload',
  };
  if (keyField === 'code') return { ...error, code: r.key ?? '' };
  if (keyField === 'source_id') return { ...error, source_id: r.key ?? '' };
  return error;
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
): StoredBulkUpdateResult | MetadataUpdateResult {
  const errors = rows.map((r) => updateError(spec.failedKeyField, r));
  if (kind === 'metadata') return { errors };
  return { done_count: done, failed_count: failed, ...reportWindow(failed, reportsAvailableTill), errors };
}
