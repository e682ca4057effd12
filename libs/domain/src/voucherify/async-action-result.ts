import type { AsyncActionType } from './async-action';

/*
 * `async_action.result`, one shape per action type, exactly as seed 001 lists them. Every attribute the
 * seed lists is required, so a client reading a result never has to guess whether a missing field means
 * zero, empty or unknown. The importer builds its results from these shapes; the `reports` links of a
 * bulk update are the gateway's, derived from `reports_available_till`.
 */

/** A voucher code that could not be imported from a JSON payload. */
export interface VoucherImportFailure {
  /** Unique voucher code. */
  code: string;
  /** Detailed failure cause for the voucher code import. */
  reason: string;
}

/** A voucher code that could not be imported from a CSV file. */
export interface VoucherCsvImportFailure {
  /** Unique voucher code. */
  code: string;
  /** CSV row holding the code, counted without the header row. */
  row: number;
  /** Detailed failure cause for the voucher code import. */
  reason: string;
}

/** A customer that could not be imported from a CSV file. */
export interface CustomerCsvImportFailure {
  /** Customer id from the client's own inventory system, as given in the CSV file. */
  source_id: string;
  /** CSV row holding the customer, counted without the header row. */
  row: number;
  /** Detailed failure cause for the customer import. */
  reason: string;
}

/** A product that could not be imported from a CSV file. */
export interface ProductCsvImportFailure {
  /** CSV row holding the product, counted without the header row. */
  row: number;
  /** Source identifier of the product that caused the error. */
  source_id: string;
  /** Detailed failure cause for the product import. */
  reason: string;
}

/** A SKU that could not be imported from a CSV file; the seed identifies it by row only. */
export interface SkuCsvImportFailure {
  /** CSV row holding the SKU, counted without the header row. */
  row: number;
  /** Detailed failure cause for the SKU import. */
  reason: string;
}

/** An order that could not be imported from a JSON payload. */
export interface OrderImportFailure {
  /** Unique order source id. */
  source_id: string;
  /** Detailed failure cause for the import. */
  reason: string;
}

/** An error met while updating metadata; it names no resource, only what went wrong. */
export interface MetadataUpdateError {
  /** A short human-readable description of the error. */
  message: string;
  /** A human-readable message with more detail about the error. */
  details: string;
  /** A short string naming the kind of error. */
  key: string;
}

/** An error met while bulk-updating customers. */
export interface CustomerBulkUpdateError extends MetadataUpdateError {
  /** Source identifier of the customer the error is about. */
  source_id: string;
}

/** An error met while bulk-updating products. */
export interface ProductBulkUpdateError extends MetadataUpdateError {
  /** Source identifier of the product the error is about. */
  source_id: string;
}

/** An error met while bulk-updating vouchers. */
export interface VoucherBulkUpdateError extends MetadataUpdateError {
  /** Code of the voucher the error is about. */
  code: string;
}

/** The result of actions that only count what they changed (updates, deletions, key purges). */
export interface DoneCountResult {
  /** A short human-readable description of the result. */
  message: string;
  /** Number of resources processed successfully. */
  done_count: number;
}

/** The result of an import: what went in, and which rows did not and why. */
export interface ImportResult<TFailure> extends DoneCountResult {
  /** Details of every record that failed; empty when all succeeded. */
  failed: TFailure[];
  /** Number of resources that failed to process. */
  failed_count: number;
}

/**
 * "Async Action Voucher Customer Product Bulk Update Result" (seed 001): bulk updates report their
 * failures as downloadable files rather than inline, because a bulk update can touch millions of rows.
 */
export interface BulkUpdateResult<TError> {
  /** Number of items successfully processed. */
  done_count: number;
  /** Number of items that failed to be processed. */
  failed_count: number;
  /** URLs of the report files. */
  reports: string[];
  /** Timestamp (ISO 8601) until which the reports can be downloaded. */
  reports_available_till: string;
  /** Errors encountered during processing. */
  errors: TError[];
}

/** The result of a metadata update: errors only, no counts. */
export interface MetadataUpdateResult {
  /** Errors encountered during processing. */
  errors: MetadataUpdateError[];
}

/** The `result` shape of each async action type, so code can be generic over the type. */
export interface AsyncActionResultMap {
  'CAMPAIGN.VOUCHERS_IMPORT': ImportResult<VoucherImportFailure>;
  'CAMPAIGN.VOUCHERS_IMPORT_CSV': ImportResult<VoucherCsvImportFailure>;
  'CAMPAIGN.VOUCHERS_UPDATE': DoneCountResult;
  'CAMPAIGN.VOUCHERS_DELETE': DoneCountResult;
  'CAMPAIGN.VOUCHERS_GENERATE': DoneCountResult;
  'CAMPAIGNS.METADATA_KEY_PURGE': DoneCountResult;
  'CUSTOMERS.IMPORT_CSV': ImportResult<CustomerCsvImportFailure>;
  'CUSTOMERS.BULK_UPDATE': BulkUpdateResult<CustomerBulkUpdateError>;
  'CUSTOMERS.METADATA_UPDATE': MetadataUpdateResult;
  'CUSTOMERS.METADATA_KEY_PURGE': DoneCountResult;
  'PRODUCTS.BULK_UPDATE': BulkUpdateResult<ProductBulkUpdateError>;
  'PRODUCTS.METADATA_UPDATE': MetadataUpdateResult;
  'PRODUCTS.METADATA_KEY_PURGE': DoneCountResult;
  'PRODUCTS.IMPORT_CSV': ImportResult<ProductCsvImportFailure>;
  'SKUS.IMPORT_CSV': ImportResult<SkuCsvImportFailure>;
  // The seed types `failed` as an object here but describes it as "this array"; we emit an array.
  'VOUCHERS.IMPORT': ImportResult<VoucherImportFailure>;
  'VOUCHERS.IMPORT_CSV': ImportResult<VoucherCsvImportFailure>;
  'VOUCHERS.BULK_UPDATE': BulkUpdateResult<VoucherBulkUpdateError>;
  'VOUCHERS.METADATA_UPDATE': MetadataUpdateResult;
  'VOUCHERS.METADATA_KEY_PURGE': DoneCountResult;
  // The seed types `failed` as an object here but describes it as "this array"; we emit an array.
  'ORDERS.IMPORT': ImportResult<OrderImportFailure>;
  'ORDERS.METADATA_KEY_PURGE': DoneCountResult;
}

export type AsyncActionResult<T extends AsyncActionType = AsyncActionType> = AsyncActionResultMap[T];

const DONE_COUNT = ['message', 'done_count'] as const;
const IMPORT = ['message', 'failed', 'done_count', 'failed_count'] as const;
const BULK_UPDATE = ['done_count', 'failed_count', 'reports', 'reports_available_till', 'errors'] as const;
const METADATA_UPDATE = ['errors'] as const;

/**
 * The top-level attributes of each type's result, for code that handles results without knowing the
 * type statically: serializers that must emit every attribute, and validators of stored results.
 */
export const ASYNC_ACTION_RESULT_FIELDS = {
  'CAMPAIGN.VOUCHERS_IMPORT': IMPORT,
  'CAMPAIGN.VOUCHERS_IMPORT_CSV': IMPORT,
  'CAMPAIGN.VOUCHERS_UPDATE': DONE_COUNT,
  'CAMPAIGN.VOUCHERS_DELETE': DONE_COUNT,
  'CAMPAIGN.VOUCHERS_GENERATE': DONE_COUNT,
  'CAMPAIGNS.METADATA_KEY_PURGE': DONE_COUNT,
  'CUSTOMERS.IMPORT_CSV': IMPORT,
  'CUSTOMERS.BULK_UPDATE': BULK_UPDATE,
  'CUSTOMERS.METADATA_UPDATE': METADATA_UPDATE,
  'CUSTOMERS.METADATA_KEY_PURGE': DONE_COUNT,
  'PRODUCTS.BULK_UPDATE': BULK_UPDATE,
  'PRODUCTS.METADATA_UPDATE': METADATA_UPDATE,
  'PRODUCTS.METADATA_KEY_PURGE': DONE_COUNT,
  'PRODUCTS.IMPORT_CSV': IMPORT,
  'SKUS.IMPORT_CSV': IMPORT,
  'VOUCHERS.IMPORT': IMPORT,
  'VOUCHERS.IMPORT_CSV': IMPORT,
  'VOUCHERS.BULK_UPDATE': BULK_UPDATE,
  'VOUCHERS.METADATA_UPDATE': METADATA_UPDATE,
  'VOUCHERS.METADATA_KEY_PURGE': DONE_COUNT,
  'ORDERS.IMPORT': IMPORT,
  'ORDERS.METADATA_KEY_PURGE': DONE_COUNT,
} as const satisfies { readonly [T in AsyncActionType]: readonly (keyof AsyncActionResultMap[T])[] };

/*
 * Compile-time proofs that the map covers exactly the seed's types and that the runtime descriptor lists
 * every attribute of every result interface (the `satisfies` above proves the converse), so the three
 * cannot drift apart.
 */
type AssertNever<T extends never> = T;
type MissingResultFields = {
  [T in AsyncActionType]: Exclude<keyof AsyncActionResultMap[T], (typeof ASYNC_ACTION_RESULT_FIELDS)[T][number]>;
}[AsyncActionType];
type _EveryResultFieldListed = AssertNever<MissingResultFields>;
type _NoResultForUnknownType = AssertNever<Exclude<keyof AsyncActionResultMap, AsyncActionType>>;
