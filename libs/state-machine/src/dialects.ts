import {
  AsyncActionOperationStatus,
  AsyncActionStatus,
  isOperationStatus,
  OperationStatus,
  SalesforceOperationStatus,
  ZuoraJobStatus,
} from '@asyncops/domain';

/** How Voucherify's `async_action` reports a status. */
export interface VoucherifyStatusView {
  status: AsyncActionStatus;
  operation_status: AsyncActionOperationStatus;
}

/** How a Zuora async job reports a status. */
export interface ZuoraStatusView {
  status: ZuoraJobStatus;
  success: boolean;
}

/*
 * Voucherify keeps success UNKNOWN until an action has finished. CompletedWithFailures is a SUCCESS:
 * the action ran to the end and the items that failed are reported in the result's failed_count and
 * failed/errors lists, which is where Voucherify clients look for them.
 */
const VOUCHERIFY_VIEWS: Readonly<Record<OperationStatus, Readonly<VoucherifyStatusView>>> = Object.freeze({
  Submitted: Object.freeze({ status: 'ENQUEUED', operation_status: 'UNKNOWN' }),
  InProgress: Object.freeze({ status: 'IN_PROGRESS', operation_status: 'UNKNOWN' }),
  Completed: Object.freeze({ status: 'DONE', operation_status: 'SUCCESS' }),
  CompletedWithFailures: Object.freeze({ status: 'DONE', operation_status: 'SUCCESS' }),
  Failure: Object.freeze({ status: 'FAILED', operation_status: 'FAILED' }),
  Cancelled: Object.freeze({ status: 'FAILED', operation_status: 'FAILED' }),
});

/*
 * Zuora has no queued state, so a submitted job is already Processing. `success` reports whether the
 * job has failed, not whether it has finished, so it is true while the job is still running.
 */
const ZUORA_VIEWS: Readonly<Record<OperationStatus, Readonly<ZuoraStatusView>>> = Object.freeze({
  Submitted: Object.freeze({ status: 'Processing', success: true }),
  InProgress: Object.freeze({ status: 'Processing', success: true }),
  Completed: Object.freeze({ status: 'Completed', success: true }),
  CompletedWithFailures: Object.freeze({ status: 'Completed', success: true }),
  Failure: Object.freeze({ status: 'Failed', success: false }),
  Cancelled: Object.freeze({ status: 'Failed', success: false }),
});

/*
 * Salesforce's Status picklist has no cancelled value (seed 000), so a cancelled operation shows as
 * Failure there; every other status is its own Salesforce value.
 */
const SALESFORCE_VIEWS: Readonly<Record<OperationStatus, SalesforceOperationStatus>> = Object.freeze({
  Submitted: 'Submitted',
  InProgress: 'InProgress',
  Completed: 'Completed',
  CompletedWithFailures: 'CompletedWithFailures',
  Failure: 'Failure',
  Cancelled: 'Failure',
});

/** The sentence dialects without a cancelled status show with their failure status. */
export const CANCELLED_MESSAGE = 'The operation was cancelled at the client\'s request.';

/** The Voucherify view of a status; a fresh object, so callers may spread or change it freely. */
export function toVoucherifyView(status: OperationStatus): VoucherifyStatusView {
  return { ...viewOf(VOUCHERIFY_VIEWS, status) };
}

/** The Salesforce `Status` picklist value of a status: Cancelled reads as Failure. */
export function toSalesforceStatus(status: OperationStatus): SalesforceOperationStatus {
  return viewOf(SALESFORCE_VIEWS, status);
}

/** The Zuora view of a status; a fresh object, so callers may spread or change it freely. */
export function toZuoraView(status: OperationStatus): ZuoraStatusView {
  return { ...viewOf(ZUORA_VIEWS, status) };
}

/*
 * A status outside the enumeration can only come from a corrupt row or message. Showing a client a
 * made-up status would hide that, so it fails loudly instead.
 */
function viewOf<V>(views: Readonly<Record<OperationStatus, V>>, status: OperationStatus): V {
  if (!isOperationStatus(status)) {
    throw new RangeError(`Unknown operation status: ${String(status)}`);
  }
  return views[status];
}
