import {
  ACCOUNT_KEY_PREFIX,
  currencyValue,
  CONTACT_KEY_PREFIX,
  encodeRecordId,
  IngestOutcome,
  ORDER_SUMMARY_KEY_PREFIX,
  PENDING_ORDER_SUMMARY_KEY_PREFIX,
  PendingOrderView,
  salesforceDateTime,
} from '@asyncops/contracts';
import type { SalesforceErrorBody } from '../errors/salesforce-error';
import { PENDING_ORDER_SUMMARY } from './pending-order-summary.describe';

export { currencyValue };

export const pendingOrderSummaryId = (n: number) => encodeRecordId(PENDING_ORDER_SUMMARY_KEY_PREFIX, n);

/** A retrieved record in Salesforce's shape: attributes first, then every field by API name. */
export function pendingOrderSummaryRecord(v: PendingOrderView, version: string) {
  const id = pendingOrderSummaryId(v.number);
  return {
    attributes: { type: PENDING_ORDER_SUMMARY, url: `/services/data/v${version}/sobjects/${PENDING_ORDER_SUMMARY}/${id}` },
    Id: id,
    AccountId: v.accountNumber === null ? null : encodeRecordId(ACCOUNT_KEY_PREFIX, v.accountNumber),
    BillToContactId: v.billToContactNumber === null ? null : encodeRecordId(CONTACT_KEY_PREFIX, v.billToContactNumber),
    BillingEmailAddress: v.billingEmailAddress,
    BillingPhoneNumber: v.billingPhoneNumber,
    CurrencyIsoCode: v.currencyIsoCode,
    Description: v.description,
    ExternalId: null,
    ExternalReferenceIdentifier: v.externalReferenceIdentifier,
    GrandTotalAmount: currencyValue(v.grandTotalAmount),
    OrderNumber: v.orderNumber,
    OrderedDate: salesforceDateTime(v.orderedDate),
    Payload: v.payload,
    PayloadType: v.payloadType,
    ProcessingInstructions: v.processingInstructions,
    SalesChannelId: v.salesChannelId,
    SalesStoreId: v.salesStoreId,
    ShopperName: v.shopperName,
  };
}

/** Salesforce's create result for one record. */
export interface SaveResult {
  id: string | null;
  success: boolean;
  errors: SalesforceErrorBody[];
}

export function duplicateError(outcome: Extract<IngestOutcome, { ok: false }>): SalesforceErrorBody {
  const { object, number } = outcome.duplicateOf;
  const id = encodeRecordId(object === 'OrderSummary' ? ORDER_SUMMARY_KEY_PREFIX : PENDING_ORDER_SUMMARY_KEY_PREFIX, number);
  return {
    errorCode: 'DUPLICATE_VALUE',
    message: `duplicate value found: ExternalReferenceIdentifier duplicates value on record with id: ${id}`,
    fields: ['ExternalReferenceIdentifier'],
  };
}

export function saveResultOf(outcome: IngestOutcome): SaveResult {
  return outcome.ok ? { id: pendingOrderSummaryId(outcome.number), success: true, errors: [] } : { id: null, success: false, errors: [duplicateError(outcome)] };
}
