import { ORDER_SUMMARY, SALESFORCE_OBJECTS, SObjectDescription, SObjectField } from '@asyncops/contracts';
import { pendingOrderSummaryInfo } from '../pending-orders/pending-order-summary.describe';

const SOAP_TYPES: Record<SObjectField['type'], string> = {
  id: 'tns:ID',
  string: 'xsd:string',
  picklist: 'xsd:string',
  reference: 'tns:ID',
  datetime: 'xsd:dateTime',
  int: 'xsd:int',
  currency: 'xsd:double',
};

const objectUrls = (version: string, name: string) => ({
  sobject: `/services/data/v${version}/sobjects/${name}`,
  describe: `/services/data/v${version}/sobjects/${name}/describe`,
  rowTemplate: `/services/data/v${version}/sobjects/${name}/{ID}`,
  layouts: `/services/data/v${version}/sobjects/${name}/describe/layouts`,
});

/** Object flags shared by describeGlobal entries and full describes; nothing here is creatable or updatable through the API. */
function objectFlags(o: SObjectDescription, version: string) {
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: false,
    custom: false,
    customSetting: false,
    deepCloneable: false,
    deletable: o.capabilities.deletable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: o.keyPrefix,
    label: o.label,
    labelPlural: o.labelPlural,
    layoutable: true,
    mergeable: false,
    mruEnabled: true,
    name: o.name,
    queryable: o.capabilities.queryable,
    replicateable: o.capabilities.replicateable,
    retrieveable: o.capabilities.retrieveable,
    searchable: o.capabilities.searchable,
    triggerable: false,
    undeletable: false,
    updateable: false,
    urls: objectUrls(version, o.name),
  };
}

/** One field of a DescribeSObjectResult, every property derived from the field table. */
export function describeField(f: SObjectField) {
  const polymorphic = (f.referenceTo?.length ?? 0) > 1;
  return {
    aggregatable: f.aggregatable,
    aiPredictionField: false,
    autoNumber: f.autoNumber,
    byteLength: f.length ? f.length * 3 : 0,
    calculated: false,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: null,
    controllerName: null,
    createable: false,
    custom: false,
    defaultValue: null,
    defaultValueFormula: null,
    defaultedOnCreate: f.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.type === 'int' ? 9 : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: false,
    extraTypeInfo: null,
    filterable: f.filterable,
    filteredLookupInfo: null,
    groupable: f.groupable,
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: f.idLookup,
    inlineHelpText: null,
    label: f.label,
    length: f.type === 'int' || f.type === 'datetime' || f.type === 'currency' ? 0 : (f.length ?? 0),
    mask: null,
    maskType: null,
    name: f.name,
    nameField: false,
    namePointing: polymorphic,
    nillable: f.nillable,
    permissionable: false,
    picklistValues: (f.picklistValues ?? []).map((v) => ({ active: v.active, defaultValue: false, label: v.label, validFor: null, value: v.value })),
    polymorphicForeignKey: polymorphic,
    precision: f.type === 'currency' ? 18 : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo ? [...f.referenceTo] : [],
    relationshipName: f.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: f.restrictedPicklist,
    scale: f.type === 'currency' ? 2 : 0,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[f.type],
    sortable: f.sortable,
    type: f.type,
    unique: false,
    updateable: false,
    writeRequiresMasterRead: false,
  };
}

/** DescribeSObjectResult (`GET sobjects/{object}/describe`). */
export function describeSObject(o: SObjectDescription, version: string) {
  const children = SALESFORCE_OBJECTS.flatMap((child) =>
    child.fields
      .filter((f) => f.type === 'reference' && f.referenceTo?.includes(o.name))
      .map((f) => ({
        cascadeDelete: false,
        childSObject: child.name,
        deprecatedAndHidden: false,
        field: f.name,
        junctionIdListNames: [],
        junctionReferenceTo: [],
        relationshipName: null,
        restrictedDelete: false,
      })),
  );
  return {
    ...objectFlags(o, version),
    actionOverrides: [],
    childRelationships: children,
    compactLayoutable: false,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: o.fields.map(describeField),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [],
    searchLayoutable: false,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [{ label: `All ${o.labelPlural.toLowerCase()}`, name: 'everything' }],
  };
}

/** describeGlobal (`GET sobjects`): every object this gateway serves. */
export function describeGlobal(version: string) {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...SALESFORCE_OBJECTS.map((o) => objectFlags(o, version)), objectFlags(ORDER_SUMMARY, version), pendingOrderSummaryInfo(version).objectDescribe],
  };
}

/** `GET sobjects/{object}`: the global entry of the object and its recently viewed records. */
export function basicInfo(o: SObjectDescription, version: string, recentItems: unknown[]) {
  return { objectDescribe: objectFlags(o, version), recentItems };
}

/** describeLayout: one read-only detail layout listing every field in table order. */
export function describeLayout(o: SObjectDescription) {
  const rows = o.fields.map((f) => ({
    layoutItems: [
      {
        editableForNew: false,
        editableForUpdate: false,
        label: f.label,
        layoutComponents: [{ details: describeField(f), displayLines: 1, tabOrder: 1, type: 'Field', value: f.name }],
        placeholder: false,
        required: false,
      },
    ],
    numItems: 1,
  }));
  return {
    layouts: [
      {
        buttonLayoutSection: null,
        detailLayoutSections: [
          { collapsed: false, columns: 1, heading: 'Information', layoutRows: rows, layoutSectionId: null, parentLayoutId: null, rows: rows.length, tabOrder: 'TopToBottom', useCollapsibleSection: false, useHeading: true },
        ],
        editLayoutSections: [],
        feedView: null,
        highlightsPanelLayoutSection: null,
        id: null,
        multirowEditLayoutSections: [],
        offlineLinks: [],
        quickActionList: { quickActionListItems: [] },
        relatedContent: null,
        relatedLists: [],
        saveOptions: [],
      },
    ],
    recordTypeMappings: [],
    recordTypeSelectorRequired: [false],
  };
}
