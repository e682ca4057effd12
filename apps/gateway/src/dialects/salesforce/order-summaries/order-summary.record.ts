import { ACCOUNT_KEY_PREFIX, CONTACT_KEY_PREFIX, encodeRecordId, ORDER_SUMMARY, OrderSummaryView, PENDING_ORDER_SUMMARY_KEY_PREFIX, salesforceDateTime } from '@asyncops/contracts';
import { currencyValue } from '../pending-orders/pending-order-summary.record';

export const orderSummaryId = (n: number) => encodeRecordId(ORDER_SUMMARY.keyPrefix, n);

/**
 * A retrieved OrderSummary in Salesforce's shape, every field of the description, and its lines
 * as the `OrderItemSummaries` child relationship (`{totalSize, done, records}`).
 */
export function orderSummaryRecord(v: OrderSummaryView, version: string) {
  const id = orderSummaryId(v.number);
  const url = `/services/data/v${version}/sobjects/${ORDER_SUMMARY.name}/${id}`;
  const items = v.items ?? [];
  return {
    attributes: { type: ORDER_SUMMARY.name, url },
    Id: id,
    OrderNumber: v.orderNumber,
    ExternalReferenceIdentifier: v.externalReferenceIdentifier,
    Status: v.status,
    AccountId: encodeRecordId(ACCOUNT_KEY_PREFIX, v.accountNumber),
    BillToContactId: v.billToContactNumber === null ? null : encodeRecordId(CONTACT_KEY_PREFIX, v.billToContactNumber),
    OrderedDate: salesforceDateTime(v.orderedDate),
    CurrencyIsoCode: v.currencyIsoCode,
    GrandTotalAmount: currencyValue(v.grandTotalAmount),
    TotalAmount: currencyValue(v.totalAmount),
    SalesChannelId: v.salesChannelId,
    SalesStoreId: v.salesStoreId,
    CreatedDate: salesforceDateTime(v.createdAt),
    OrderItemSummaries: {
      totalSize: items.length,
      done: true,
      records: items.map((i) => ({
        attributes: { type: 'OrderItemSummary' },
        LineNumber: i.line,
        StockKeepingUnit: i.sku,
        Description: i.description,
        Quantity: Number(i.quantity),
        UnitPrice: currencyValue(i.unitPrice),
        TotalPrice: currencyValue(i.totalPrice),
      })),
    },
  };
}

/** The native API's view: ids as Salesforce ids (what conversion events carry), amounts as decimal strings. */
export function nativeOrderSummary(v: OrderSummaryView) {
  return {
    id: orderSummaryId(v.number),
    orderNumber: v.orderNumber,
    externalReferenceIdentifier: v.externalReferenceIdentifier,
    status: v.status,
    accountId: encodeRecordId(ACCOUNT_KEY_PREFIX, v.accountNumber),
    accountName: v.accountName,
    billToContactId: v.billToContactNumber === null ? null : encodeRecordId(CONTACT_KEY_PREFIX, v.billToContactNumber),
    billToContactName: v.billToContactName,
    orderedDate: v.orderedDate,
    currencyIsoCode: v.currencyIsoCode,
    grandTotalAmount: v.grandTotalAmount,
    totalAmount: v.totalAmount,
    salesChannelId: v.salesChannelId,
    salesStoreId: v.salesStoreId,
    pendingOrderSummaryId: encodeRecordId(PENDING_ORDER_SUMMARY_KEY_PREFIX, v.pendingOrderSummaryNumber),
    createdAt: v.createdAt,
    ...(v.items ? { items: v.items } : {}),
  };
}
