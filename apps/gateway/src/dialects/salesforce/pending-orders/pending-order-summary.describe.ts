import { PENDING_ORDER_SUMMARY_KEY_PREFIX } from '@asyncops/contracts';
import { PENDING_ORDER_SUMMARY_FIELDS, PendingField, PendingFieldType } from './pending-order-summary.fields';

export const PENDING_ORDER_SUMMARY = 'PendingOrderSummary';

const SOAP_TYPES: Record<PendingFieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  email: 'xsd:string',
  phone: 'xsd:string',
  picklist: 'xsd:string',
  string: 'xsd:string',
  currency: 'xsd:double',
  datetime: 'xsd:dateTime',
  textarea: 'xsd:string',
};

const urls = (version: string) => ({
  sobject: `/services/data/v${version}/sobjects/${PENDING_ORDER_SUMMARY}`,
  describe: `/services/data/v${version}/sobjects/${PENDING_ORDER_SUMMARY}/describe`,
  rowTemplate: `/services/data/v${version}/sobjects/${PENDING_ORDER_SUMMARY}/{ID}`,
  compactLayouts: `/services/data/v${version}/sobjects/${PENDING_ORDER_SUMMARY}/describe/compactLayouts`,
  quickActions: `/services/data/v${version}/sobjects/${PENDING_ORDER_SUMMARY}/quickActions`,
});

/** Seed 002: create, delete, describeLayout, query, retrieve; no update, no triggers. */
function objectFlags(version: string) {
  return {
    activateable: false,
    createable: true,
    custom: false,
    customSetting: false,
    deletable: true,
    deprecatedAndHidden: false,
    feedEnabled: false,
    keyPrefix: PENDING_ORDER_SUMMARY_KEY_PREFIX,
    label: 'Pending Order Summary',
    labelPlural: 'Pending Order Summaries',
    layoutable: true,
    mergeable: false,
    mruEnabled: false,
    name: PENDING_ORDER_SUMMARY,
    queryable: true,
    replicateable: false,
    retrieveable: true,
    searchable: false,
    triggerable: false,
    undeletable: false,
    updateable: false,
    urls: urls(version),
  };
}

/** One field of the DescribeSObjectResult; every property follows from the seed's property list. */
export function describePendingField(fd: PendingField) {
  const has = (p: PendingField['properties'][number]) => fd.properties.includes(p);
  const textual = fd.type !== 'currency' && fd.type !== 'datetime';
  return {
    aggregatable: has('Group'),
    autoNumber: false,
    byteLength: textual && fd.length ? fd.length * 3 : 0,
    calculated: false,
    caseSensitive: fd.name === 'ExternalReferenceIdentifier',
    createable: fd.createable,
    custom: false,
    defaultValue: fd.name === 'CurrencyIsoCode' ? 'USD' : null,
    defaultedOnCreate: has('Defaulted on create'),
    deprecatedAndHidden: false,
    digits: 0,
    externalId: false,
    filterable: has('Filter'),
    groupable: has('Group'),
    htmlFormatted: false,
    idLookup: has('idLookup'),
    label: fd.label,
    length: textual ? (fd.length ?? 0) : 0,
    name: fd.name,
    nameField: fd.name === 'OrderNumber',
    namePointing: false,
    nillable: has('Nillable'),
    picklistValues: (fd.picklist ?? []).map((v) => ({ active: true, defaultValue: fd.name === 'CurrencyIsoCode' && v.value === 'USD', label: v.label, validFor: null, value: v.value })),
    polymorphicForeignKey: false,
    precision: fd.type === 'currency' ? 18 : 0,
    referenceTo: fd.referenceTo ? [fd.referenceTo] : [],
    relationshipName: fd.relationshipName ?? null,
    restrictedPicklist: has('Restricted picklist'),
    scale: fd.type === 'currency' ? 2 : 0,
    soapType: SOAP_TYPES[fd.type],
    sortable: has('Sort'),
    type: fd.type,
    unique: fd.name === 'ExternalReferenceIdentifier',
    updateable: false,
  };
}

export function describePendingOrderSummary(version: string) {
  return {
    ...objectFlags(version),
    actionOverrides: [],
    childRelationships: [],
    compactLayoutable: true,
    fields: PENDING_ORDER_SUMMARY_FIELDS.map(describePendingField),
    namedLayoutInfos: [],
    recordTypeInfos: [],
    searchLayoutable: false,
    supportedScopes: [{ label: 'All pending order summaries', name: 'everything' }],
  };
}

/** `GET sobjects/PendingOrderSummary/` (basic information); recent items are not tracked for this object. */
export function pendingOrderSummaryInfo(version: string) {
  return { objectDescribe: objectFlags(version), recentItems: [] };
}

const COMPACT_FIELDS = ['OrderNumber', 'ExternalReferenceIdentifier', 'ShopperName', 'GrandTotalAmount', 'OrderedDate'];

/** `describe/compactLayouts`: the system default layout, which is what an org without customisation has. */
export function pendingOrderSummaryCompactLayouts() {
  const layout = {
    actions: [],
    fieldItems: COMPACT_FIELDS.map((name) => {
      const fd = PENDING_ORDER_SUMMARY_FIELDS.find((x) => x.name === name) as PendingField;
      return {
        editableForNew: fd.createable,
        editableForUpdate: false,
        label: fd.label,
        layoutComponents: [{ details: describePendingField(fd), displayLines: 1, tabOrder: 0, type: 'Field', value: fd.name }],
        placeholder: false,
        required: !fd.properties.includes('Nillable') && !fd.properties.includes('Defaulted on create'),
      };
    }),
    id: null,
    imageItems: [],
    label: 'System Default',
    name: 'SYSTEM',
    objectType: PENDING_ORDER_SUMMARY,
  };
  return { compactLayouts: [layout], defaultCompactLayoutId: null, recordTypeCompactLayoutMappings: [] };
}

/** `quickActions`: the seed's only record action is Import (`POST …/{id}`), which is not a quick action. */
export function pendingOrderSummaryQuickActions() {
  return [];
}
