import { findField, findRelationship, SObjectDescription, SObjectField, SOQL_OPERATORS, SoqlOperator } from './sobject-description';

/**
 * A SOQL query after the gateway parsed and checked it: field paths are API names
 * (`Status`, `ParentOperation.Status`), literals are typed values (datetimes as ISO strings,
 * record ids as auto-numbers, owners as client ids). The owning service turns it into
 * parameterised SQL; no literal ever becomes SQL text.
 */
export type PlanValue = string | number | null;

export type PlanCondition =
  | { kind: 'and' | 'or'; items: PlanCondition[] }
  | { kind: 'not'; item: PlanCondition }
  | { kind: 'compare'; field: string; op: Exclude<SoqlOperator, 'IN' | 'NOT IN'>; value: PlanValue }
  | { kind: 'in'; field: string; negate: boolean; values: PlanValue[] };

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
}

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
  p.select.forEach((s, i) => known(s, `plan.select[${i}]`));
  if (typeof p.count !== 'boolean') throw new QueryPlanError('plan.count: must be a boolean');
  if (typeof p.forView !== 'boolean') throw new QueryPlanError('plan.forView: must be a boolean');
  if (!p.count && p.select.length === 0) throw new QueryPlanError('plan.select: must name at least one field');
  if (!Array.isArray(p.orderBy) || p.orderBy.length > 32) throw new QueryPlanError('plan.orderBy: must be an array');
  p.orderBy.forEach((o, i) => {
    known(o?.field, `plan.orderBy[${i}].field`, 'sortable');
    if (o.direction !== 'ASC' && o.direction !== 'DESC') throw new QueryPlanError(`plan.orderBy[${i}].direction: must be ASC or DESC`);
    if (o.nulls !== 'FIRST' && o.nulls !== 'LAST') throw new QueryPlanError(`plan.orderBy[${i}].nulls: must be FIRST or LAST`);
  });
  if (p.limit !== null && !(Number.isInteger(p.limit) && (p.limit as number) >= 0)) throw new QueryPlanError('plan.limit: must be null or an integer ≥ 0');
  if (!(Number.isInteger(p.offset) && (p.offset as number) >= 0 && (p.offset as number) <= 2000)) throw new QueryPlanError('plan.offset: must be an integer 0..2000');
  const walk = (c: unknown, depth: number, at: string): void => {
    if (depth > MAX_PLAN_DEPTH) throw new QueryPlanError(`${at}: nested too deeply`);
    if (!c || typeof c !== 'object') throw new QueryPlanError(`${at}: must be a condition`);
    const cond = c as PlanCondition;
    switch (cond.kind) {
      case 'and':
      case 'or':
        if (!Array.isArray(cond.items) || cond.items.length < 1) throw new QueryPlanError(`${at}.items: must be a non-empty array`);
        cond.items.forEach((x, i) => walk(x, depth + 1, `${at}.items[${i}]`));
        return;
      case 'not':
        walk(cond.item, depth + 1, `${at}.item`);
        return;
      case 'compare': {
        const f = known(cond.field, `${at}.field`, 'filterable');
        if (!(SOQL_OPERATORS as readonly string[]).includes(cond.op) || (cond.op as string) === 'IN' || (cond.op as string) === 'NOT IN') throw new QueryPlanError(`${at}.op: not a comparison`);
        if (f.filterOperators && !f.filterOperators.includes(cond.op)) throw new QueryPlanError(`${at}.op: ${cond.op} not allowed on ${cond.field}`);
        if (!isValue(cond.value)) throw new QueryPlanError(`${at}.value: must be a string, number or null`);
        return;
      }
      case 'in': {
        const f = known(cond.field, `${at}.field`, 'filterable');
        const op = cond.negate ? 'NOT IN' : 'IN';
        if (f.filterOperators && !f.filterOperators.includes(op)) throw new QueryPlanError(`${at}: ${op} not allowed on ${cond.field}`);
        if (typeof cond.negate !== 'boolean') throw new QueryPlanError(`${at}.negate: must be a boolean`);
        if (!Array.isArray(cond.values) || cond.values.length < 1 || cond.values.length > MAX_IN_VALUES || !cond.values.every(isValue)) {
          throw new QueryPlanError(`${at}.values: must be 1..${MAX_IN_VALUES} values`);
        }
        return;
      }
      default:
        throw new QueryPlanError(`${at}.kind: unknown condition kind`);
    }
  };
  if (p.where !== null) walk(p.where, 0, 'plan.where');
}
