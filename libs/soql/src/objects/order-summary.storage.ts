import { ObjectStorage } from '../sql/object-storage';

const parents = {
  'Account.Id': { sql: 'a."number"', kind: 'number' },
  'Account.Name': { sql: 'a."name"', kind: 'text', caseInsensitive: true },
  'BillToContact.Id': { sql: 'c."number"', kind: 'number' },
  'BillToContact.Name': { sql: 'c."name"', kind: 'text', caseInsensitive: true },
} as const;

const relationships = { Account: { sql: 'a."number"', kind: 'number' }, BillToContact: { sql: 'c."number"', kind: 'number' } } as const;

/** OrderSummary in order-placement's schema `S` (quoted): the summary with its account and contact. */
export function orderSummaryStorage(S: string): ObjectStorage {
  return {
    table: `${S}."order_summary"`,
    from: `${S}."order_summary" o JOIN ${S}."shopper_account" a ON a."number" = o."account_number" LEFT JOIN ${S}."shopper_contact" c ON c."number" = o."bill_to_contact_number"`,
    ownerColumnName: 'owner_id',
    numberColumnName: 'number',
    columns: {
      Id: { sql: 'o."number"', kind: 'number' },
      OrderNumber: { sql: 'o."order_number"', kind: 'text', caseInsensitive: true },
      // Identifiers the seed calls case-sensitive compare exactly.
      ExternalReferenceIdentifier: { sql: 'o."external_reference_identifier"', kind: 'text' },
      // Every summary is Created: nothing here moves it further.
      Status: { sql: `'Created'::text`, kind: 'text' },
      AccountId: { sql: 'o."account_number"', kind: 'number' },
      BillToContactId: { sql: 'o."bill_to_contact_number"', kind: 'number' },
      OrderedDate: { sql: 'o."ordered_date"', kind: 'timestamp' },
      CurrencyIsoCode: { sql: 'o."currency_iso_code"', kind: 'text' },
      GrandTotalAmount: { sql: 'o."grand_total_amount"', kind: 'numeric' },
      TotalAmount: { sql: 'o."total_product_amount"', kind: 'numeric' },
      SalesChannelId: { sql: 'o."sales_channel_id"', kind: 'text', caseInsensitive: true },
      SalesStoreId: { sql: 'o."sales_store_id"', kind: 'text', caseInsensitive: true },
      CreatedDate: { sql: 'o."created_at"', kind: 'timestamp' },
      ...parents,
    },
    relationships,
  };
}

/**
 * PendingOrderSummary in order-placement's schema `S` (quoted). Its filters are equalities on
 * indexed columns, compared exactly as the unique index does; the converted amount divides by
 * the currency's rate to USD.
 */
export function pendingOrderSummaryStorage(S: string): ObjectStorage {
  return {
    table: `${S}."pending_order_summary"`,
    from:
      `${S}."pending_order_summary" o LEFT JOIN ${S}."shopper_account" a ON a."number" = o."account_number" ` +
      `LEFT JOIN ${S}."shopper_contact" c ON c."number" = o."bill_to_contact_number" LEFT JOIN ${S}."currency_rate" r ON r."iso_code" = o."currency_iso_code"`,
    ownerColumnName: 'owner_id',
    numberColumnName: 'number',
    columns: {
      Id: { sql: 'o."number"', kind: 'number' },
      AccountId: { sql: 'o."account_number"', kind: 'number' },
      BillToContactId: { sql: 'o."bill_to_contact_number"', kind: 'number' },
      BillingEmailAddress: { sql: 'o."billing_email_address"', kind: 'text' },
      BillingPhoneNumber: { sql: 'o."billing_phone_number"', kind: 'text' },
      CurrencyIsoCode: { sql: 'o."currency_iso_code"', kind: 'text' },
      Description: { sql: 'o."description"', kind: 'text' },
      ExternalReferenceIdentifier: { sql: 'o."external_reference_identifier"', kind: 'text' },
      GrandTotalAmount: { sql: 'o."grand_total_amount"', kind: 'numeric' },
      'convertCurrency(GrandTotalAmount)': { sql: 'round(o."grand_total_amount" / r."conversion_rate", 2)', kind: 'numeric' },
      OrderNumber: { sql: 'o."order_number"', kind: 'text' },
      OrderedDate: { sql: 'o."ordered_date"', kind: 'timestamp' },
      Payload: { sql: 'o."payload"', kind: 'text' },
      PayloadType: { sql: 'o."payload_type"', kind: 'text' },
      ProcessingInstructions: { sql: 'o."processing_instructions"', kind: 'text' },
      SalesChannelId: { sql: 'o."sales_channel_id"', kind: 'text' },
      SalesStoreId: { sql: 'o."sales_store_id"', kind: 'text' },
      ShopperName: { sql: 'o."shopper_name"', kind: 'text' },
      ...parents,
    },
    relationships,
  };
}
