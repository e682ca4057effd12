/**
 * A queryable Salesforce-style object, described once as data. The gateway derives describe
 * results, SOQL validation and record formatting from it and the owning service maps each field
 * to storage, so a second object is another description plus a storage map, not new code paths.
 */

export const SOQL_OPERATORS = ['=', '!=', '<', '<=', '>', '>=', 'LIKE', 'IN', 'NOT IN'] as const;
export type SoqlOperator = (typeof SOQL_OPERATORS)[number];

/** Salesforce field types this server describes; each decides which literals a filter accepts. */
export type SObjectFieldType = 'id' | 'string' | 'picklist' | 'reference' | 'datetime' | 'int' | 'currency';

/**
 * How a stored value becomes a wire value: `recordNumber` values are auto-numbers encoded as
 * record ids of `referenceTo[0]`, `owner` values are API client ids shown as User ids or names.
 */
export type SObjectValueKind = 'plain' | 'recordNumber' | 'owner' | 'ownerName';

export interface SObjectPicklistValue {
  value: string;
  label: string;
  /** False for values records may carry but clients cannot choose (not in the vendor's list). */
  active: boolean;
}

export interface SObjectField {
  name: string;
  label: string;
  type: SObjectFieldType;
  valueKind: SObjectValueKind;
  /** Seed properties (Filter, Group, Sort, Nillable, Autonumber, idLookup, Restricted picklist, Defaulted on create). */
  filterable: boolean;
  groupable: boolean;
  /** May appear in aggregate functions (describe's `aggregatable`). */
  aggregatable: boolean;
  sortable: boolean;
  nillable: boolean;
  autoNumber: boolean;
  idLookup: boolean;
  restrictedPicklist: boolean;
  defaultedOnCreate: boolean;
  length?: number;
  picklistValues?: readonly SObjectPicklistValue[];
  referenceTo?: readonly string[];
  relationshipName?: string;
  /** Narrows the operators a filter may use (e.g. equality only on indexed fields); all when absent. */
  filterOperators?: readonly SoqlOperator[];
}

export interface SObjectDescription {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: readonly SObjectField[];
  /** Objects reachable through relationship fields (child-to-parent), by relationship name. */
  relationships: Readonly<Record<string, { target: SObjectDescription }>>;
  /** What SOQL may do on this object beyond the field properties; everything when absent. */
  queryRules?: SoqlQueryRules;
  capabilities: {
    queryable: boolean;
    retrieveable: boolean;
    deletable: boolean;
    replicateable: boolean;
    searchable: boolean;
  };
}

export function findField(object: SObjectDescription, name: string): SObjectField | undefined {
  const lower = name.toLowerCase();
  return object.fields.find((f) => f.name.toLowerCase() === lower);
}

export function findRelationship(object: SObjectDescription, name: string): { name: string; target: SObjectDescription } | undefined {
  const lower = name.toLowerCase();
  const key = Object.keys(object.relationships).find((k) => k.toLowerCase() === lower);
  return key ? { name: key, target: object.relationships[key].target } : undefined;
}

/**
 * Per-object SOQL rules: an OLTP object (PendingOrderSummary) answers index lookups only, a
 * read-only one (OrderSummary) no aggregates. The planner refuses what they exclude with
 * Salesforce's codes; the owning service's plan check refuses it again.
 */
export interface SoqlQueryRules {
  aggregates?: boolean;
  /** `SELECT COUNT()`. */
  count?: boolean;
  semiJoins?: boolean;
  forView?: boolean;
  offset?: boolean;
  /** Filters are `field = value` on these fields only, joined by AND (no OR, NOT or ranges). */
  equalityFilterFields?: readonly string[];
  /** ORDER BY keeps SQL's default null order only: ASC NULLS FIRST, DESC NULLS LAST. */
  defaultNullOrderOnly?: boolean;
  /** Currency fields `convertCurrency()` may wrap in SELECT (into the corporate currency). */
  convertCurrency?: readonly string[];
}

/** Whether the object allows a SOQL feature; absent rules allow everything. */
export function allows(object: SObjectDescription, rule: 'aggregates' | 'count' | 'semiJoins' | 'forView' | 'offset'): boolean {
  return object.queryRules?.[rule] !== false;
}

const CONVERT_CURRENCY = /^convertCurrency\((\w+)\)$/;

/** The field a `convertCurrency(Field)` select path converts, if it is one. */
export function convertedField(path: string): string | undefined {
  return CONVERT_CURRENCY.exec(path)?.[1];
}
