import { SObjectDescription, SObjectField } from '../sobject-description';
import { PENDING_ORDER_SUMMARY_KEY_PREFIX, ORDER_CURRENCY_CODES } from './key-prefixes';
import { ACCOUNT_OBJECT, CONTACT_OBJECT, field } from './order-summary.object';

/** Seed 002's index (ExternalReferenceIdentifier) and the secondary indexes the reference fields imply. */
export const PENDING_ORDER_INDEXED_FIELDS = ['Id', 'ExternalReferenceIdentifier', 'AccountId', 'BillToContactId', 'SalesChannelId', 'SalesStoreId'] as const;

/** convertCurrency() converts into the corporate currency, in which the rates table is kept. */
export const CORPORATE_CURRENCY = 'USD';

type Seed = 'F' | 'G' | 'S' | 'N';

/** A field as SOQL sees it, with seed 002's Filter/Group/Sort/Nillable properties. */
function pending(name: string, label: string, type: SObjectField['type'], props: readonly Seed[], extra: Partial<SObjectField> = {}): SObjectField {
  return field(name, label, type, { filterable: props.includes('F'), groupable: props.includes('G'), sortable: props.includes('S'), nillable: props.includes('N') }, extra);
}

const picklist = (values: readonly string[]) => ({ restrictedPicklist: true, picklistValues: values.map((value) => ({ value, label: value, active: true })) });

/**
 * PendingOrderSummary for SOQL (seed 002): an OLTP store, so filters are equalities on indexed
 * fields joined by AND, ORDER BY keeps the default null order, no OFFSET, COUNT() or aggregates;
 * `convertCurrency(GrandTotalAmount)` converts into USD. `ExternalId` is internal and not
 * queryable (the seed). Email, phone and text-area fields compare as strings. The gateway's
 * describe of this object comes from its seed field table, which has the create properties.
 */
export const PENDING_ORDER_SUMMARY_OBJECT: SObjectDescription = {
  name: 'PendingOrderSummary',
  label: 'Pending Order Summary',
  labelPlural: 'Pending Order Summaries',
  keyPrefix: PENDING_ORDER_SUMMARY_KEY_PREFIX,
  fields: [
    pending('Id', 'Pending Order Summary ID', 'id', ['F', 'G', 'S'], { valueKind: 'recordNumber', idLookup: true, length: 18 }),
    pending('AccountId', 'Account ID', 'reference', ['F', 'G', 'N', 'S'], { valueKind: 'recordNumber', referenceTo: ['Account'], relationshipName: 'Account', length: 18 }),
    pending('BillToContactId', 'Bill To Contact ID', 'reference', ['F', 'G', 'N', 'S'], { valueKind: 'recordNumber', referenceTo: ['Contact'], relationshipName: 'BillToContact', length: 18 }),
    pending('BillingEmailAddress', 'Billing Email Address', 'string', ['F', 'G', 'S'], { length: 80 }),
    pending('BillingPhoneNumber', 'Billing Phone Number', 'string', ['F', 'G', 'N', 'S'], { length: 40 }),
    pending('CurrencyIsoCode', 'Currency ISO Code', 'picklist', ['F', 'G', 'S'], { length: 3, ...picklist(ORDER_CURRENCY_CODES) }),
    pending('Description', 'Description', 'string', ['F', 'G', 'N', 'S'], { length: 255 }),
    pending('ExternalReferenceIdentifier', 'External Reference Identifier', 'string', ['F', 'G', 'S'], { length: 255 }),
    pending('GrandTotalAmount', 'Grand Total Amount', 'currency', ['F', 'S']),
    pending('OrderNumber', 'Order Number', 'string', ['F', 'G', 'S'], { length: 255 }),
    pending('OrderedDate', 'Ordered Date', 'datetime', ['F', 'S']),
    pending('Payload', 'Payload', 'string', [], { length: 131072 }),
    pending('PayloadType', 'Payload Type', 'picklist', ['F', 'G', 'N', 'S'], { length: 255, ...picklist(['JSON_GZIP', 'JSON_RAW']) }),
    pending('ProcessingInstructions', 'Processing Instructions', 'string', ['N'], { length: 131072 }),
    // References to objects this server does not hold: their ids are kept and compared as text.
    pending('SalesChannelId', 'Sales Channel ID', 'string', ['F', 'G', 'N', 'S'], { length: 18 }),
    pending('SalesStoreId', 'Sales Store ID', 'string', ['F', 'G', 'N', 'S'], { length: 18 }),
    pending('ShopperName', 'Shopper Name', 'string', ['F', 'G', 'S'], { length: 255 }),
  ],
  relationships: { Account: { target: ACCOUNT_OBJECT }, BillToContact: { target: CONTACT_OBJECT } },
  queryRules: {
    aggregates: false,
    count: false,
    semiJoins: false,
    forView: false,
    offset: false,
    equalityFilterFields: PENDING_ORDER_INDEXED_FIELDS,
    defaultNullOrderOnly: true,
    convertCurrency: ['GrandTotalAmount'],
  },
  capabilities: { queryable: true, retrieveable: true, deletable: true, replicateable: false, searchable: false },
};
