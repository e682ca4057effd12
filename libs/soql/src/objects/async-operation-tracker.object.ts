import {
  ASYNC_ACTION_TYPES,
  JOB_TYPE_LABELS,
  JOB_TYPES,
  OWNER_TYPES,
  REFERENCE_ENTITY_TYPES,
  SALESFORCE_OPERATION_STATUS_LABELS,
  SALESFORCE_OPERATION_STATUSES,
  STEP_NAME_LABELS,
  STEP_NAMES,
} from '@asyncops/domain';
import { SObjectDescription, SObjectField, SObjectPicklistValue } from '../sobject-description';

/** Seed 000 property names, spelled as the seed spells them. */
export type SeedFieldProperty = 'Autonumber' | 'Defaulted on create' | 'Filter' | 'Group' | 'idLookup' | 'Nillable' | 'Restricted picklist' | 'Sort';

/** Key prefix of AsyncOperationTracker record ids (the first three characters of every id). */
export const ASYNC_OPERATION_TRACKER_KEY_PREFIX = '0Ao';
/** Key prefix of owner (API client) ids: Salesforce's User prefix. */
export const USER_KEY_PREFIX = '005';

function field(
  name: string,
  type: SObjectField['type'],
  properties: readonly SeedFieldProperty[],
  extra: Partial<SObjectField> = {},
): SObjectField {
  const has = (p: SeedFieldProperty) => properties.includes(p);
  return {
    name,
    label: extra.label ?? name.replace(/([a-z])([A-Z])/g, '$1 $2'),
    type,
    valueKind: 'plain',
    filterable: has('Filter'),
    groupable: has('Group'),
    // Salesforce aggregates any filterable field of these types (MIN/MAX/COUNT; SUM/AVG on numbers).
    aggregatable: has('Filter'),
    sortable: has('Sort'),
    nillable: has('Nillable'),
    autoNumber: has('Autonumber'),
    idLookup: has('idLookup'),
    restrictedPicklist: has('Restricted picklist'),
    defaultedOnCreate: has('Defaulted on create'),
    ...extra,
  };
}

const picklist = (values: readonly string[], labels: Readonly<Record<string, string>>): SObjectPicklistValue[] =>
  values.map((value) => ({ value, label: labels[value] ?? value, active: true }));

/**
 * JobType also holds Voucherify async action types (seed 001) for work started on that surface.
 * They are described as inactive values: records may carry them, as Salesforce records may carry
 * a deactivated value of a restricted picklist, but they are not part of the seed's list.
 */
export const INACTIVE_JOB_TYPES: readonly string[] = ASYNC_ACTION_TYPES;

/**
 * The Owner relationship resolves to the API client that owns the record. Salesforce's User is
 * reduced to what a client can be known by here.
 */
export const OWNER_OBJECT: SObjectDescription = {
  name: 'User',
  label: 'User',
  labelPlural: 'Users',
  keyPrefix: USER_KEY_PREFIX,
  fields: [
    field('Id', 'id', ['Defaulted on create', 'Filter', 'Group', 'idLookup', 'Sort'], { label: 'User ID', valueKind: 'owner', length: 18 }),
    field('Name', 'string', ['Filter', 'Group', 'Sort'], { label: 'Full Name', valueKind: 'ownerName', length: 121 }),
  ],
  relationships: {},
  capabilities: { queryable: false, retrieveable: false, deletable: false, replicateable: false, searchable: false },
};

const trackerFields: SObjectField[] = [
  field('Id', 'id', ['Defaulted on create', 'Filter', 'Group', 'idLookup', 'Sort'], { label: 'Async Operation Tracker ID', valueKind: 'recordNumber', referenceTo: [], length: 18 }),
  field('AsyncOperationNumber', 'string', ['Autonumber', 'Defaulted on create', 'Filter', 'idLookup', 'Sort'], { label: 'Async Operation Number', length: 255 }),
  field('CorrelationIdentifier', 'string', ['Filter', 'Group', 'Nillable', 'Sort'], { length: 255 }),
  field('ExpiresAt', 'datetime', ['Filter', 'Nillable', 'Sort']),
  field('FailedJobItems', 'int', ['Filter', 'Group', 'Nillable', 'Sort']),
  field('FinishedAt', 'datetime', ['Filter', 'Nillable', 'Sort']),
  field('JobType', 'picklist', ['Filter', 'Group', 'Restricted picklist', 'Sort'], { length: 255, picklistValues: [
    ...picklist(JOB_TYPES, JOB_TYPE_LABELS),
    ...INACTIVE_JOB_TYPES.map((value) => ({ value, label: value, active: false })),
  ] }),
  field('LastReferencedDate', 'datetime', ['Filter', 'Nillable', 'Sort']),
  field('LastViewedDate', 'datetime', ['Filter', 'Nillable', 'Sort']),
  field('OwnerId', 'reference', ['Filter', 'Group', 'Sort'], { label: 'Owner ID', valueKind: 'owner', referenceTo: OWNER_TYPES, relationshipName: 'Owner', length: 18 }),
  field('ParentOperationId', 'reference', ['Filter', 'Group', 'Nillable', 'Sort'], {
    label: 'Parent Operation ID',
    valueKind: 'recordNumber',
    referenceTo: ['AsyncOperationTracker'],
    relationshipName: 'ParentOperation',
    length: 18,
  }),
  field('ReferenceEntityId', 'reference', ['Filter', 'Group', 'Nillable', 'Sort'], {
    label: 'Reference Entity ID',
    referenceTo: REFERENCE_ENTITY_TYPES,
    relationshipName: 'ReferenceEntity',
    length: 18,
  }),
  field('StartedAt', 'datetime', ['Filter', 'Nillable', 'Sort']),
  field('Status', 'picklist', ['Filter', 'Group', 'Restricted picklist', 'Sort'], { length: 255, picklistValues: picklist(SALESFORCE_OPERATION_STATUSES, SALESFORCE_OPERATION_STATUS_LABELS) }),
  field('StepName', 'picklist', ['Filter', 'Group', 'Nillable', 'Restricted picklist', 'Sort'], { length: 255, picklistValues: picklist(STEP_NAMES, STEP_NAME_LABELS) }),
  field('SubmittedAt', 'datetime', ['Filter', 'Nillable', 'Sort']),
  field('SuccessfulJobItems', 'int', ['Filter', 'Group', 'Nillable', 'Sort']),
  field('TotalJobItems', 'int', ['Filter', 'Group', 'Nillable', 'Sort']),
];

/** AsyncOperationTracker (seed 000): the single field table describe, SOQL and formatting read. */
export const ASYNC_OPERATION_TRACKER: SObjectDescription = {
  name: 'AsyncOperationTracker',
  label: 'Async Operation Tracker',
  labelPlural: 'Async Operation Trackers',
  keyPrefix: ASYNC_OPERATION_TRACKER_KEY_PREFIX,
  fields: trackerFields,
  relationships: {},
  capabilities: { queryable: true, retrieveable: true, deletable: true, replicateable: true, searchable: false },
};
// Self-referencing: ParentOperation is another AsyncOperationTracker.
(ASYNC_OPERATION_TRACKER as { relationships: SObjectDescription['relationships'] }).relationships = {
  ParentOperation: { target: ASYNC_OPERATION_TRACKER },
  Owner: { target: OWNER_OBJECT },
};

/** Every object the Salesforce surface serves, by API name. */
export const SALESFORCE_OBJECTS: readonly SObjectDescription[] = [ASYNC_OPERATION_TRACKER];
