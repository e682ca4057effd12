/**
 * PendingOrderSummary's fields as seed 002 lists them, with their seed properties. Describe,
 * record formatting and create all read this one table. Kept apart from the tracker's SObject
 * table because this object has field types (email, phone, currency, textarea) and a create path
 * the tracker's object does not.
 */
export type PendingFieldType = 'id' | 'reference' | 'email' | 'phone' | 'picklist' | 'string' | 'currency' | 'datetime' | 'textarea';
export type PendingFieldProperty = 'Defaulted on create' | 'Filter' | 'Group' | 'idLookup' | 'Nillable' | 'Restricted picklist' | 'Sort';

export interface PendingField {
  name: string;
  label: string;
  type: PendingFieldType;
  properties: readonly PendingFieldProperty[];
  createable: boolean;
  length?: number;
  picklist?: ReadonlyArray<{ value: string; label: string }>;
  referenceTo?: string;
  relationshipName?: string;
}

const f = (name: string, label: string, type: PendingFieldType, properties: PendingFieldProperty[], extra: Partial<PendingField> = {}): PendingField => ({
  name,
  label,
  type,
  properties,
  createable: true,
  ...extra,
});

export const PENDING_ORDER_SUMMARY_FIELDS: readonly PendingField[] = [
  f('Id', 'Pending Order Summary ID', 'id', ['Defaulted on create', 'Filter', 'Group', 'idLookup', 'Sort'], { createable: false, length: 18 }),
  f('AccountId', 'Account ID', 'reference', ['Filter', 'Group', 'Nillable', 'Sort'], { createable: false, length: 18, referenceTo: 'Account', relationshipName: 'Account' }),
  f('BillToContactId', 'Bill To Contact ID', 'reference', ['Filter', 'Group', 'Nillable', 'Sort'], { createable: false, length: 18, referenceTo: 'Contact', relationshipName: 'BillToContact' }),
  f('BillingEmailAddress', 'Billing Email Address', 'email', ['Filter', 'Group', 'Sort'], { length: 80 }),
  f('BillingPhoneNumber', 'Billing Phone Number', 'phone', ['Filter', 'Group', 'Nillable', 'Sort'], { length: 40 }),
  f('CurrencyIsoCode', 'Currency ISO Code', 'picklist', ['Defaulted on create', 'Filter', 'Group', 'Restricted picklist', 'Sort'], {
    length: 3,
    picklist: [
      { value: 'DKK', label: 'Danish Krone' },
      { value: 'EUR', label: 'Euro' },
      { value: 'GBP', label: 'British Pound' },
      { value: 'USD', label: 'U.S. Dollar' },
    ],
  }),
  f('Description', 'Description', 'string', ['Filter', 'Group', 'Nillable', 'Sort'], { length: 255 }),
  f('ExternalId', 'External ID', 'string', ['Filter', 'Group', 'Nillable', 'Sort'], { createable: false, length: 255 }),
  f('ExternalReferenceIdentifier', 'External Reference Identifier', 'string', ['Filter', 'Group', 'Sort'], { length: 255 }),
  f('GrandTotalAmount', 'Grand Total Amount', 'currency', ['Filter', 'Sort']),
  f('OrderNumber', 'Order Number', 'string', ['Filter', 'Group', 'Sort'], { length: 255 }),
  f('OrderedDate', 'Ordered Date', 'datetime', ['Filter', 'Sort']),
  f('Payload', 'Payload', 'textarea', [], { length: 131072 }),
  f('PayloadType', 'Payload Type', 'picklist', ['Filter', 'Group', 'Nillable', 'Restricted picklist', 'Sort'], {
    length: 255,
    picklist: [
      { value: 'JSON_GZIP', label: 'JSON_GZIP' },
      { value: 'JSON_RAW', label: 'JSON_RAW' },
    ],
  }),
  f('ProcessingInstructions', 'Processing Instructions', 'textarea', ['Nillable'], { length: 131072 }),
  f('SalesChannelId', 'Sales Channel ID', 'reference', ['Filter', 'Group', 'Nillable', 'Sort'], { length: 18, referenceTo: 'SalesChannel', relationshipName: 'SalesChannel' }),
  f('SalesStoreId', 'Sales Store ID', 'reference', ['Filter', 'Group', 'Nillable', 'Sort'], { length: 18, referenceTo: 'WebStore', relationshipName: 'SalesStore' }),
  f('ShopperName', 'Shopper Name', 'string', ['Filter', 'Group', 'Sort'], { length: 255 }),
];
