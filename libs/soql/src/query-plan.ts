import { allows, convertedField, findField, findRelationship, SObjectDescription, SObjectField, SOQL_OPERATORS, SoqlOperator } from './sobject-description';

/**
 * A SOQL query after the gateway parsed and checked it: field paths are API names
 * (`Status`, `ParentOperation.Status`), literals are typed values (datetimes as ISO strings,
 * record ids as auto-numbers, owners as client ids). The owning service turns it into
 * parameterised SQL; no literal ever becomes SQL text.
 */
export type PlanValue = string | number | null;

/** SOQL's aggregate functions; COUNT without a field is `COUNT()` inside GROUP BY queries. */
export const AGGREGATE_FUNCTIONS = ['COUNT', 'COUNT_DISTINCT', 'MIN', 'MAX', 'SUM', 'AVG'] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

/** SOQL's date functions on dateTime fields, evaluated in UTC. */
export const DATE_FUNCTIONS = ['CALENDAR_MONTH', 'CALENDAR_QUARTER', 'CALENDAR_YEAR', 'DAY_IN_MONTH', 'DAY_IN_WEEK', 'DAY_IN_YEAR', 'DAY_ONLY', 'HOUR_IN_DAY'] as const;
export type DateFunction = (typeof DATE_FUNCTIONS)[number];

/** A value an aggregate query selects, groups by, filters in HAVING or sorts by. */
export type PlanExpression =
  | { kind: 'field'; field: string }
  | { kind: 'date'; fn: DateFunction; field: string }
  | { kind: 'aggregate'; fn: AggregateFunction; field: string | null };

export type PlanCondition =
  | { kind: 'and' | 'or'; items: PlanCondition[] }
  | { kind: 'not'; item: PlanCondition }
  | { kind: 'compare'; field: string; op: Exclude<SoqlOperator, 'IN' | 'NOT IN'>; value: PlanValue }
  | { kind: 'in'; field: string; negate: boolean; values: PlanValue[] }
  /** HAVING only: an aggregate or date function compared with a value. */
  | { kind: 'having'; expr: PlanExpression; op: Exclude<SoqlOperator, 'IN' | 'NOT IN' | 'LIKE'>; value: PlanValue }
  /** WHERE only: `field [NOT] IN (SELECT subField FROM <same object> WHERE …)`, owner-scoped like the outer query. */
  | { kind: 'semiJoin'; field: string; negate: boolean; subField: string; where: PlanCondition | null };

export interface PlanAggregation {
  /** Output columns in SELECT order, named as the records show them (alias, field name or exprN). */
  columns: Array<{ name: string; expr: PlanExpression }>;
  /** Fields and date functions; never aggregates. */
  groupBy: PlanExpression[];
  having: PlanCondition | null;
  orderBy: Array<{ expr: PlanExpression; direction: 'ASC' | 'DESC'; nulls: 'FIRST' | 'LAST' }>;
}

export interface PlanOrder {
  field: string;
  direction: 'ASC' | 'DESC';
  nulls: 'FIRST' | 'LAST';
}

export interface QueryPlan {
  object: string;
  /** Field paths in the order the records show them; empty for `SELECT COUNT()`. */
  select: string[];
  count: boolean;
  where: PlanCondition | null;
  orderBy: PlanOrder[];
  limit: number | null;
  offset: number;
  /** `FOR VIEW` (and retrieve): the read sets LastViewedDate and LastReferencedDate. */
  forView: boolean;
  /** Present for aggregate queries (aggregate functions or GROUP BY): `select` is then empty and rows are groups. */
  aggregate?: PlanAggregation;
}

/** Aggregate queries answer one batch: Salesforce has no queryMore for them. */
export const MAX_AGGREGATE_ROWS = 2000;

export const MAX_PLAN_DEPTH = 32;
export const MAX_IN_VALUES = 1000;

/** Why a plan is unacceptable; the service answers INVALID_REQUEST with the message. */
export class QueryPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryPlanError';
  }
}

/** Resolves a field path against an object description: `Status` or `ParentOperation.Status`. */
export function resolvePath(object: SObjectDescription, path: string): { relationship?: string; field: SObjectField } | undefined {
  const parts = path.split('.');
  if (parts.length === 1) {
    const f = findField(object, parts[0]);
    return f && { field: f };
  }
  if (parts.length !== 2) return undefined;
  const rel = findRelationship(object, parts[0]);
  const f = rel && findField(rel.target, parts[1]);
  return rel && f ? { relationship: rel.name, field: f } : undefined;
}

/** Canonical spelling of a path (`parentoperation.status` → `ParentOperation.Status`). */
export function canonicalPath(object: SObjectDescription, path: string): string | undefined {
  const r = resolvePath(object, path);
  if (!r) return undefined;
  return r.relationship ? `${r.relationship}.${r.field.name}` : r.field.name;
}

const isValue = (v: unknown): v is PlanValue => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/**
 * Structural check of a plan received over the broker. The gateway built it from checked SOQL,
 * but the service owning the table trusts nothing it did not check itself.
 */
export function assertValidPlan(plan: unknown, objects: readonly SObjectDescription[]): asserts plan is QueryPlan {
  if (!plan || typeof plan !== 'object') throw new QueryPlanError('plan: must be an object');
  const p = plan as Partial<QueryPlan>;
  const object = objects.find((o) => o.name === p.object);
  if (!object) throw new QueryPlanError(`plan.object: ${String(p.object)} is not served here`);
  const known = (path: unknown, what: string, capability?: 'filterable' | 'sortable') => {
    if (typeof path !== 'string') throw new QueryPlanError(`${what}: must be a field path`);
    const r = resolvePath(object, path);
    if (!r || canonicalPath(object, path) !== path) throw new QueryPlanError(`${what}: unknown field ${path}`);
    if (capability && !r.field[capability]) throw new QueryPlanError(`${what}: ${path} is not ${capability}`);
    return r.field;
  };
  if (!Array.isArray(p.select) || p.select.length > 200) throw new QueryPlanError('plan.select: must be an array of at most 200 paths');
  p.select.forEach((s, i) => {
    const converted = typeof s === 'string' ? convertedField(s) : undefined;
    if (converted === undefined) return known(s, `plan.select[${i}]`);
    if (!object.queryRules?.convertCurrency?.includes(converted)) throw new QueryPlanError(`plan.select[${i}]: convertCurrency() does not apply to ${converted}`);
  });
  if (typeof p.count !== 'boolean') throw new QueryPlanError('plan.count: must be a boolean');
  if (typeof p.forView !== 'boolean') throw new QueryPlanError('plan.forView: must be a boolean');
  if (!p.count && !p.aggregate && p.select.length === 0) throw new QueryPlanError('plan.select: must name at least one field');
  if (!Array.isArray(p.orderBy) || p.orderBy.length > 32) throw new QueryPlanError('plan.orderBy: must be an array');
  p.orderBy.forEach((o, i) => {
    known(o?.field, `plan.orderBy[${i}].field`, 'sortable');
    if (o.direction !== 'ASC' && o.direction !== 'DESC') throw new QueryPlanError(`plan.orderBy[${i}].direction: must be ASC or DESC`);
    if (o.nulls !== 'FIRST' && o.nulls !== 'LAST') throw new QueryPlanError(`plan.orderBy[${i}].nulls: must be FIRST or LAST`);
  });
  if (p.limit !== null && !(Number.isInteger(p.limit) && (p.limit as number) >= 0)) throw new QueryPlanError('plan.limit: must be null or an integer ≥ 0');
  if (!(Number.isInteger(p.offset) && (p.offset as number) >= 0 && (p.offset as number) <= 2000)) throw new QueryPlanError('plan.offset: must be an integer 0..2000');
  const walk = (c: unknown, depth: number, at: string, clause: 'where' | 'having' | 'subquery'): void => {
    if (depth > MAX_PLAN_DEPTH) throw new QueryPlanError(`${at}: nested too deeply`);
    if (!c || typeof c !== 'object') throw new QueryPlanError(`${at}: must be a condition`);
    const cond = c as PlanCondition;
    switch (cond.kind) {
      case 'and':
      case 'or':
        if (!Array.isArray(cond.items) || cond.items.length < 1) throw new QueryPlanError(`${at}.items: must be a non-empty array`);
        cond.items.forEach((x, i) => walk(x, depth + 1, `${at}.items[${i}]`, clause));
        return;
      case 'not':
        walk(cond.item, depth + 1, `${at}.item`, clause);
        return;
      case 'compare': {
        const f = known(cond.field, `${at}.field`, 'filterable');
        if (clause === 'having') grouped({ kind: 'field', field: cond.field }, `${at}.field`);
        if (!(SOQL_OPERATORS as readonly string[]).includes(cond.op) || (cond.op as string) === 'IN' || (cond.op as string) === 'NOT IN') throw new QueryPlanError(`${at}.op: not a comparison`);
        if (f.filterOperators && !f.filterOperators.includes(cond.op)) throw new QueryPlanError(`${at}.op: ${cond.op} not allowed on ${cond.field}`);
        if (!isValue(cond.value)) throw new QueryPlanError(`${at}.value: must be a string, number or null`);
        return;
      }
      case 'in': {
        const f = known(cond.field, `${at}.field`, 'filterable');
        if (clause === 'having') grouped({ kind: 'field', field: cond.field }, `${at}.field`);
        const op = cond.negate ? 'NOT IN' : 'IN';
        if (f.filterOperators && !f.filterOperators.includes(op)) throw new QueryPlanError(`${at}: ${op} not allowed on ${cond.field}`);
        if (typeof cond.negate !== 'boolean') throw new QueryPlanError(`${at}.negate: must be a boolean`);
        if (!Array.isArray(cond.values) || cond.values.length < 1 || cond.values.length > MAX_IN_VALUES || !cond.values.every(isValue)) {
          throw new QueryPlanError(`${at}.values: must be 1..${MAX_IN_VALUES} values`);
        }
        return;
      }
      case 'having': {
        if (clause !== 'having') throw new QueryPlanError(`${at}: aggregate conditions belong in HAVING`);
        expression(cond.expr, `${at}.expr`);
        if (cond.expr?.kind !== 'aggregate') grouped(cond.expr, `${at}.expr`);
        if (!['=', '!=', '<', '<=', '>', '>='].includes(cond.op)) throw new QueryPlanError(`${at}.op: not a comparison`);
        if (!isValue(cond.value)) throw new QueryPlanError(`${at}.value: must be a string, number or null`);
        return;
      }
      case 'semiJoin': {
        if (clause !== 'where') throw new QueryPlanError(`${at}: a semi-join is allowed only in the outer WHERE`);
        if (typeof cond.negate !== 'boolean') throw new QueryPlanError(`${at}.negate: must be a boolean`);
        for (const [path, name] of [
          [cond.field, 'field'],
          [cond.subField, 'subField'],
        ] as const) {
          const f = known(path, `${at}.${name}`, 'filterable');
          if (path.includes('.') || !(f.type === 'id' || (f.type === 'reference' && f.referenceTo?.includes(object.name)))) {
            throw new QueryPlanError(`${at}.${name}: must be Id or a reference to ${object.name}`);
          }
        }
        if (cond.where !== null) walk(cond.where, depth + 1, `${at}.where`, 'subquery');
        return;
      }
      default:
        throw new QueryPlanError(`${at}.kind: unknown condition kind`);
    }
  };
  const same = (a: PlanExpression, b: PlanExpression) => a.kind === b.kind && a.field === b.field && (a.kind === 'field' || (a as { fn: string }).fn === (b as { fn: string }).fn);
  const grouped = (e: PlanExpression, at: string) => {
    if (!p.aggregate?.groupBy.some((g) => same(g, e))) throw new QueryPlanError(`${at}: must be grouped or aggregated`);
  };
  const expression = (e: unknown, at: string): void => {
    if (!e || typeof e !== 'object') throw new QueryPlanError(`${at}: must be an expression`);
    const x = e as PlanExpression;
    switch (x.kind) {
      case 'field':
        known(x.field, `${at}.field`);
        return;
      case 'date': {
        if (!(DATE_FUNCTIONS as readonly string[]).includes(x.fn)) throw new QueryPlanError(`${at}.fn: unknown date function`);
        if (known(x.field, `${at}.field`).type !== 'datetime') throw new QueryPlanError(`${at}.field: ${x.fn} needs a dateTime field`);
        return;
      }
      case 'aggregate': {
        if (!(AGGREGATE_FUNCTIONS as readonly string[]).includes(x.fn)) throw new QueryPlanError(`${at}.fn: unknown aggregate function`);
        if (x.field === null) {
          if (x.fn !== 'COUNT') throw new QueryPlanError(`${at}.field: only COUNT may omit its field`);
          return;
        }
        const f = known(x.field, `${at}.field`);
        if (!f.aggregatable) throw new QueryPlanError(`${at}.field: ${x.field} is not aggregatable`);
        if (!aggregateAccepts(x.fn, f)) throw new QueryPlanError(`${at}.field: ${x.fn} does not apply to ${f.type} field ${x.field}`);
        return;
      }
      default:
        throw new QueryPlanError(`${at}.kind: unknown expression kind`);
    }
  };
  if (p.where !== null) walk(p.where, 0, 'plan.where', 'where');
  checkObjectRules(p as QueryPlan, object);
  if (p.aggregate !== undefined) {
    const a = p.aggregate;
    if (!a || typeof a !== 'object') throw new QueryPlanError('plan.aggregate: must be an object');
    if (p.select.length || p.count || p.orderBy.length || p.forView) throw new QueryPlanError('plan.aggregate: select, count, orderBy and forView must be empty');
    if (!Array.isArray(a.groupBy) || a.groupBy.length > 32) throw new QueryPlanError('plan.aggregate.groupBy: must be an array');
    a.groupBy.forEach((g, i) => {
      expression(g, `plan.aggregate.groupBy[${i}]`);
      if (g.kind === 'aggregate') throw new QueryPlanError(`plan.aggregate.groupBy[${i}]: cannot group by an aggregate`);
      if (g.kind === 'field' && !resolvePath(object, g.field)?.field.groupable) throw new QueryPlanError(`plan.aggregate.groupBy[${i}]: ${g.field} is not groupable`);
    });
    if (!Array.isArray(a.columns) || a.columns.length < 1 || a.columns.length > 200) throw new QueryPlanError('plan.aggregate.columns: must be 1..200 columns');
    const names = new Set<string>();
    a.columns.forEach((c, i) => {
      if (typeof c?.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(c.name) || names.has(c.name.toLowerCase())) throw new QueryPlanError(`plan.aggregate.columns[${i}].name: must be a distinct name`);
      names.add(c.name.toLowerCase());
      expression(c.expr, `plan.aggregate.columns[${i}].expr`);
      if (c.expr.kind !== 'aggregate') grouped(c.expr, `plan.aggregate.columns[${i}].expr`);
    });
    if (!Array.isArray(a.orderBy) || a.orderBy.length > 32) throw new QueryPlanError('plan.aggregate.orderBy: must be an array');
    a.orderBy.forEach((o, i) => {
      expression(o?.expr, `plan.aggregate.orderBy[${i}].expr`);
      if (o.expr.kind !== 'aggregate') grouped(o.expr, `plan.aggregate.orderBy[${i}].expr`);
      if (o.direction !== 'ASC' && o.direction !== 'DESC') throw new QueryPlanError(`plan.aggregate.orderBy[${i}].direction: must be ASC or DESC`);
      if (o.nulls !== 'FIRST' && o.nulls !== 'LAST') throw new QueryPlanError(`plan.aggregate.orderBy[${i}].nulls: must be FIRST or LAST`);
    });
    if (a.having !== null) walk(a.having, 0, 'plan.aggregate.having', 'having');
  }
}

/** Which field types each aggregate applies to: SUM and AVG need numbers, MIN and MAX an order. */
export function aggregateAccepts(fn: AggregateFunction, field: SObjectField): boolean {
  if (fn === 'SUM' || fn === 'AVG') return field.type === 'int';
  if (fn === 'MIN' || fn === 'MAX') return field.type !== 'reference' && field.type !== 'id';
  return true;
}

/** The object's own SOQL rules (SoqlQueryRules), checked on a structurally valid plan. */
function checkObjectRules(plan: QueryPlan, object: SObjectDescription): void {
  const refuse = (what: string) => {
    throw new QueryPlanError(`plan: ${what} is not allowed on ${object.name}`);
  };
  if (plan.aggregate && !allows(object, 'aggregates')) refuse('an aggregate query');
  if (plan.count && !allows(object, 'count')) refuse('COUNT()');
  if (plan.forView && !allows(object, 'forView')) refuse('FOR VIEW');
  if (plan.offset > 0 && !allows(object, 'offset')) refuse('OFFSET');
  const equality = object.queryRules?.equalityFilterFields;
  const visit = (c: PlanCondition): void => {
    if (c.kind === 'semiJoin' && !allows(object, 'semiJoins')) refuse('a semi-join');
    if (equality && !(c.kind === 'and' || (c.kind === 'compare' && c.op === '=' && equality.includes(c.field)))) refuse('a filter other than equalities on indexed fields joined by AND');
    if (c.kind === 'and' || c.kind === 'or') c.items.forEach(visit);
    else if (c.kind === 'not') visit(c.item);
  };
  if (plan.where) visit(plan.where);
  if (object.queryRules?.defaultNullOrderOnly && plan.orderBy.some((o) => o.nulls !== (o.direction === 'ASC' ? 'FIRST' : 'LAST'))) refuse('this null ordering');
}
