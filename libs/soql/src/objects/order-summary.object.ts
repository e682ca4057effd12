import { ACCOUNT_KEY_PREFIX, CONTACT_KEY_PREFIX, ORDER_CURRENCY_CODES, ORDER_SUMMARY_KEY_PREFIX } from './key-prefixes';
import { SObjectDescription, SObjectField } from '../sobject-description';

/**
 * OrderSummary as order-placement keeps it: what a PendingOrderSummary becomes. Read-only here
 * (retrieve, describe, SOQL); every summary is `Created`, the status Salesforce gives a new one.
 */
export const ORDER_SUMMARY_STATUSES = ['Created'] as const;

type Props = Partial<Pick<SObjectField, 'filterable' | 'groupable' | 'sortable' | 'nillable' | 'idLookup' | 'defaultedOnCreate' | 'aggregatable'>>;

export function field(name: string, label: string, type: SObjectField['type'], props: Props, extra: Partial<SObjectField> = {}): SObjectField {
  return {
    name,
    label,
    type,
    valueKind: 'plain',
    filterable: true,
    groupable: false,
    aggregatable: false,
    sortable: true,
    nillable: false,
    autoNumber: false,
    idLookup: false,
    restrictedPicklist: false,
    defaultedOnCreate: false,
    ...props,
    ...extra,
  };
}

const named = (name: string, label: string, prefix: string): SObjectDescription => ({
  name,
  label,
  labelPlural: `${label}s`,
  keyPrefix: prefix,
  fields: [
    field('Id', `${label} ID`, 'id', { idLookup: true, defaultedOnCreate: true }, { valueKind: 'recordNumber', length: 18 }),
    field('Name', `${label} Name`, 'string', {}, { length: 255 }),
  ],
  relationships: {},
  capabilities: { queryable: false, retrieveable: false, deletable: false, replicateable: false, searchable: false },
});

export const ACCOUNT_OBJECT = named('Account', 'Account', ACCOUNT_KEY_PREFIX);
export const CONTACT_OBJECT = named('Contact', 'Contact', CONTACT_KEY_PREFIX);

export const ORDER_SUMMARY: SObjectDescription = {
  name: 'OrderSummary',
  label: 'Order Summary',
  labelPlural: 'Order Summaries',
  keyPrefix: ORDER_SUMMARY_KEY_PREFIX,
  fields: [
    field('Id', 'Order Summary ID', 'id', { idLookup: true, defaultedOnCreate: true }, { valueKind: 'recordNumber', length: 18 }),
    field('OrderNumber', 'Order Summary Number', 'string', { idLookup: true }, { length: 255 }),
    field('ExternalReferenceIdentifier', 'External Reference Identifier', 'string', { idLookup: true }, { length: 255 }),
    field('Status', 'Status', 'picklist', { groupable: true, defaultedOnCreate: true }, {
      length: 255,
      restrictedPicklist: true,
      picklistValues: ORDER_SUMMARY_STATUSES.map((value) => ({ value, label: value, active: true })),
    }),
    field('AccountId', 'Account ID', 'reference', { groupable: true }, { valueKind: 'recordNumber', referenceTo: ['Account'], relationshipName: 'Account', length: 18 }),
    field('BillToContactId', 'Bill To Contact ID', 'reference', { groupable: true, nillable: true }, { valueKind: 'recordNumber', referenceTo: ['Contact'], relationshipName: 'BillToContact', length: 18 }),
    field('OrderedDate', 'Ordered Date', 'datetime', {}),
    field('CurrencyIsoCode', 'Order Summary Currency', 'picklist', { groupable: true, defaultedOnCreate: true }, {
      length: 3,
      restrictedPicklist: true,
      picklistValues: ORDER_CURRENCY_CODES.map((value) => ({ value, label: value, active: true })),
    }),
    field('GrandTotalAmount', 'Grand Total', 'currency', {}),
    field('TotalAmount', 'Total Amount', 'currency', {}),
    field('SalesChannelId', 'Sales Channel ID', 'string', { groupable: true, nillable: true }, { length: 18 }),
    field('SalesStoreId', 'Sales Store ID', 'string', { groupable: true, nillable: true }, { length: 18 }),
    field('CreatedDate', 'Created Date', 'datetime', { defaultedOnCreate: true }),
  ],
  relationships: { Account: { target: ACCOUNT_OBJECT }, BillToContact: { target: CONTACT_OBJECT } },
  // No Order record stands behind a summary and nothing counts or groups them here.
  queryRules: { aggregates: false, count: false, semiJoins: false, forView: false },
  capabilities: { queryable: true, retrieveable: true, deletable: false, replicateable: false, searchable: false },
};

