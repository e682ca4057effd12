import { oneOf } from '../internal/picklist';

/**
 * `async_action.type` (seed 001, "Available values"), in the seed's order. Each type names the job
 * that produced the action and fixes the shape of its `result` (see AsyncActionResultMap).
 */
export const ASYNC_ACTION_TYPES = [
  'CAMPAIGN.VOUCHERS_IMPORT',
  'CAMPAIGN.VOUCHERS_IMPORT_CSV',
  'CAMPAIGN.VOUCHERS_UPDATE',
  'CAMPAIGN.VOUCHERS_DELETE',
  'CAMPAIGN.VOUCHERS_GENERATE',
  'CAMPAIGNS.METADATA_KEY_PURGE',
  'CUSTOMERS.IMPORT_CSV',
  'CUSTOMERS.BULK_UPDATE',
  'CUSTOMERS.METADATA_UPDATE',
  'CUSTOMERS.METADATA_KEY_PURGE',
  'PRODUCTS.BULK_UPDATE',
  'PRODUCTS.METADATA_UPDATE',
  'PRODUCTS.METADATA_KEY_PURGE',
  'PRODUCTS.IMPORT_CSV',
  'SKUS.IMPORT_CSV',
  'VOUCHERS.IMPORT',
  'VOUCHERS.IMPORT_CSV',
  'VOUCHERS.BULK_UPDATE',
  'VOUCHERS.METADATA_UPDATE',
  'VOUCHERS.METADATA_KEY_PURGE',
  'ORDERS.IMPORT',
  'ORDERS.METADATA_KEY_PURGE',
] as const;

export type AsyncActionType = (typeof ASYNC_ACTION_TYPES)[number];

export const isAsyncActionType: (x: unknown) => x is AsyncActionType = oneOf(ASYNC_ACTION_TYPES);

/** `async_action.status` (seed 001): whether the action has finished running. */
export const ASYNC_ACTION_STATUSES = ['DONE', 'ENQUEUED', 'FAILED', 'IN_PROGRESS'] as const;

export type AsyncActionStatus = (typeof ASYNC_ACTION_STATUSES)[number];

export const isAsyncActionStatus: (x: unknown) => x is AsyncActionStatus = oneOf(ASYNC_ACTION_STATUSES);

/**
 * `async_action.operation_status` (seed 001): whether the action as a whole succeeded. It stays
 * UNKNOWN until the action has finished, because success cannot be judged earlier.
 */
export const ASYNC_ACTION_OPERATION_STATUSES = ['FAILED', 'SUCCESS', 'UNKNOWN'] as const;

export type AsyncActionOperationStatus = (typeof ASYNC_ACTION_OPERATION_STATUSES)[number];

export const isAsyncActionOperationStatus: (x: unknown) => x is AsyncActionOperationStatus = oneOf(
  ASYNC_ACTION_OPERATION_STATUSES,
);

/** `async_action.object`: Voucherify tags every resource with its kind, and this is the only value. */
export const ASYNC_ACTION_OBJECT = 'async_action';

export type AsyncActionObject = typeof ASYNC_ACTION_OBJECT;
