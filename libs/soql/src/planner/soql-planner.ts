import { parseQuery, type Condition, type FieldType, type OrderByClause, type Query, type WhereClause } from '@jetstreamapp/soql-parser-js';
import {
  AGGREGATE_FUNCTIONS,
  aggregateAccepts,
  AggregateFunction,
  canonicalPath,
  DATE_FUNCTIONS,
  DateFunction,
  PlanAggregation,
  PlanCondition,
  PlanExpression,
  PlanOrder,
  PlanValue,
  QueryPlan,
  resolvePath,
} from '../query-plan';
import { allows, SObjectDescription, SObjectField, SoqlOperator } from '../sobject-description';
import { SoqlError } from '../errors';
import { decodeRecordId } from '../record-id';
import { dateLiteralRange } from './date-literals';

/** Who is asking: owner fields compare against this client only, as every query is owner-scoped. */
export interface PlannerContext {
  ownerId: string;
  ownerRecordId: string;
  ownerName: string;
  now: Date;
}

export const MAX_SOQL_OFFSET = 2000;
const MAX_SOQL_LENGTH = 100_000;

/** Salesforce's error text locates the problem: the line, a caret, then row and column. */
export function soqlError(code: string, soql: string, token: string | undefined, message: string, status = 400): SoqlError {
  const at = token ? locate(soql, token) : undefined;
  if (!at) return new SoqlError(status, code, message);
  const line = soql.split('\n')[at.row - 1] ?? '';
  return new SoqlError(status, code, `\n${line}\n${' '.repeat(at.column - 1)}^\nERROR at Row:${at.row}:Column:${at.column}\n${message}`);
}

const isWordChar = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_');

/** First whole-word occurrence, case-insensitive, as 1-based row and column. */
function locate(soql: string, token: string): { row: number; column: number } | undefined {
  const hay = soql.toLowerCase();
  const needle = token.toLowerCase();
  let from = 0;
  for (;;) {
    const i = hay.indexOf(needle, from);
    if (i < 0) return undefined;
    const wordy = isWordChar(needle[0]);
    if (!wordy || (!isWordChar(hay[i - 1]) && !isWordChar(hay[i + needle.length]))) {
      const before = soql.slice(0, i).split('\n');
      return { row: before.length, column: before[before.length - 1].length + 1 };
    }
    from = i + 1;
  }
}

function malformed(soql: string, error: unknown): SoqlError {
  const text = error instanceof Error ? error.message : String(error);
  const lexAt = text.indexOf('at offset: ');
  if (lexAt >= 0) {
    const offset = Number.parseInt(text.slice(lexAt + 'at offset: '.length), 10);
    const before = soql.slice(0, offset).split('\n');
    const row = before.length;
    const column = before[before.length - 1].length + 1;
    return new SoqlError(
      400,
      'MALFORMED_QUERY',
      `\n${soql.split('\n')[row - 1]}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\nunexpected token: '${soql[offset] ?? ''}'`,
    );
  }
  const foundAt = text.lastIndexOf("but found: '");
  if (foundAt >= 0) {
    const rest = text.slice(foundAt + "but found: '".length);
    const found = rest.slice(0, rest.lastIndexOf("'"));
    if (found === '') return new SoqlError(400, 'MALFORMED_QUERY', 'unexpected end of query');
    return soqlError('MALFORMED_QUERY', soql, found, `unexpected token: '${found}'`);
  }
  return new SoqlError(400, 'MALFORMED_QUERY', 'unexpected token in query');
}

const unsupported = (soql: string, token: string | undefined, what: string) => soqlError('MALFORMED_QUERY', soql, token, `${what} is not supported by this server`);

/** Parses, checks and lowers one SOQL query against the objects this surface serves. */
export function planSoql(soql: string, objects: readonly SObjectDescription[], ctx: PlannerContext): { plan: QueryPlan; object: SObjectDescription } {
  if (soql.trim() === '') throw new SoqlError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  if (soql.length > MAX_SOQL_LENGTH) throw new SoqlError(400, 'MALFORMED_QUERY', `SOQL statements cannot be longer than ${MAX_SOQL_LENGTH} characters`);
  const cached = PLANS.get(soql);
  if (cached && cached.objects === objects) {
    // Re-inserted so the map's order is least recently used first.
    PLANS.delete(soql);
    PLANS.set(soql, cached);
    return cached.planned;
  }
  let q: Query;
  try {
    q = parseQuery(soql);
  } catch (e) {
    throw malformed(soql, e);
  }
  const planner = new Planner(soql, q, objects, ctx);
  const planned = planner.plan();
  if (!planner.usedContext) {
    PLANS.set(soql, { objects, planned });
    if (PLANS.size > PLAN_CACHE_SIZE) PLANS.delete(PLANS.keys().next().value as string);
  }
  return planned;
}

/**
 * Plans by query text, least recently used first. Parsing dominates a query's cost in the
 * gateway, and clients repeat their queries; a plan that read the caller (owner literals) or the
 * clock (date literals) is not kept. Cached plans are shared: callers never modify a plan.
 */
const PLAN_CACHE_SIZE = 1000;
const PLANS = new Map<string, { objects: readonly SObjectDescription[]; planned: { plan: QueryPlan; object: SObjectDescription } }>();

class Planner {
  private object!: SObjectDescription;

  constructor(
    private readonly soql: string,
    private readonly q: Query,
    private readonly objects: readonly SObjectDescription[],
    private readonly ctx: PlannerContext,
  ) {}

  plan(): { plan: QueryPlan; object: SObjectDescription } {
    const { q, soql } = this;
    const object = this.objects.find((o) => o.name.toLowerCase() === (q.sObject ?? '').toLowerCase());
    if (!object || !object.capabilities.queryable) {
      throw soqlError(
        'INVALID_TYPE',
        soql,
        q.sObject,
        `sObject type '${q.sObject ?? ''}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    this.object = object;
    if (q.withDataCategory) throw unsupported(soql, 'DATA CATEGORY', 'WITH DATA CATEGORY');
    if (q.usingScope) throw unsupported(soql, 'USING', 'USING SCOPE');
    if (q.update) throw unsupported(soql, 'UPDATE', 'UPDATE TRACKING/VIEWSTAT');
    if (q.for === 'UPDATE') throw unsupported(soql, 'UPDATE', 'FOR UPDATE');
    const refusedHere = (token: string, what: string) => soqlError('MALFORMED_QUERY', soql, token, `${what} is not supported on ${object.name}`);
    if (isAggregateQuery(q) && !allows(object, 'aggregates')) throw refusedHere(q.groupBy ? 'GROUP BY' : 'SELECT', 'an aggregate query');
    if (q.offset !== undefined && !allows(object, 'offset')) throw refusedHere('OFFSET', 'OFFSET');
    if (q.for && !allows(object, 'forView')) throw refusedHere('FOR', `FOR ${q.for}`);
    if (q.offset !== undefined && q.offset > MAX_SOQL_OFFSET) {
      throw new SoqlError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_SOQL_OFFSET}`);
    }

    if (isAggregateQuery(q)) {
      if (q.for) throw soqlError('MALFORMED_QUERY', soql, 'FOR', `FOR ${q.for} is not allowed in an aggregate query`);
      return {
        object,
        plan: {
          object: object.name,
          select: [],
          count: false,
          where: q.where ? new ConditionBuilder(this, toTokens(q.where)).build() : null,
          orderBy: [],
          limit: q.limit ?? null,
          offset: q.offset ?? 0,
          forView: false,
          aggregate: new AggregatePlanner(this, q).plan(),
        },
      };
    }
    if (q.having) throw soqlError('MALFORMED_QUERY', soql, 'HAVING', 'HAVING is only allowed with GROUP BY or aggregate functions');

    const { select, count } = this.fields(q.fields ?? []);
    const orderBy = this.orderBy(q.orderBy);
    if (count && orderBy.length) throw soqlError('MALFORMED_QUERY', soql, 'ORDER BY', 'ORDER BY not allowed with COUNT()');
    if (count && !allows(object, 'count')) throw refusedHere('COUNT', 'COUNT()');
    return {
      object,
      plan: {
        object: object.name,
        select,
        count,
        where: q.where ? new ConditionBuilder(this, toTokens(q.where)).build() : null,
        orderBy,
        limit: q.limit ?? null,
        offset: q.offset ?? 0,
        forView: q.for === 'VIEW',
      },
    };
  }

  /** Strips `a.` when the query aliased the object (`FROM AsyncOperationTracker a`). */
  private unalias(path: string): string {
    const alias = this.q.sObjectAlias;
    return alias && path.toLowerCase().startsWith(`${alias.toLowerCase()}.`) ? path.slice(alias.length + 1) : path;
  }

  resolve(rawPath: string, use: 'select' | 'filter' | 'sort' | 'group'): { path: string; field: SObjectField; relationship?: string } {
    const path = this.unalias(rawPath);
    const r = resolvePath(this.object, path);
    const canonical = canonicalPath(this.object, path);
    if (!r || !canonical) {
      const parts = path.split('.');
      if (parts.length > 1 && !Object.keys(this.object.relationships).some((k) => k.toLowerCase() === parts[0].toLowerCase())) {
        throw soqlError(
          'INVALID_FIELD',
          this.soql,
          rawPath,
          `Didn't understand relationship '${parts[0]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      const entity = parts.length > 1 ? (resolvePathTarget(this.object, parts[0]) ?? this.object.name) : this.object.name;
      throw soqlError(
        'INVALID_FIELD',
        this.soql,
        rawPath,
        `No such column '${parts[parts.length - 1]}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    if (use === 'filter' && !r.field.filterable) throw soqlError('INVALID_FIELD', this.soql, rawPath, `field '${r.field.name}' can not be filtered in a query call`);
    if (use === 'sort' && !r.field.sortable) throw soqlError('INVALID_FIELD', this.soql, rawPath, `field '${r.field.name}' can not be sorted in a query call`);
    if (use === 'group' && !r.field.groupable) throw soqlError('INVALID_FIELD', this.soql, rawPath, `field '${r.field.name}' can not be grouped in a query call`);
    return { path: canonical, field: r.field, relationship: r.relationship };
  }

  private fields(fields: FieldType[]): { select: string[]; count: boolean } {
    const select: string[] = [];
    let count = false;
    for (const f of fields) {
      if (f.type === 'Field' || f.type === 'FieldRelationship') {
        const raw = f.type === 'Field' ? f.field : (f.rawValue ?? [...f.relationships, f.field].join('.'));
        const { path } = this.resolve(raw, 'select');
        if (select.includes(path) || select.includes(`convertCurrency(${path})`)) throw soqlError('DUPLICATE_FIELD', this.soql, raw, `duplicate field selected: ${path}`);
        select.push(path);
      } else if (f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'COUNT' && f.parameters.length === 0) {
        count = true;
      } else if (f.type === 'FieldFunctionExpression' && f.functionName.toLowerCase() === 'convertcurrency' && this.object.queryRules?.convertCurrency) {
        const path = this.convertCurrency(f.parameters);
        const shown = path.slice('convertCurrency('.length, -1);
        if (select.some((s) => s === shown || s === path)) throw soqlError('DUPLICATE_FIELD', this.soql, 'convertCurrency', `duplicate field selected: ${shown}`);
        select.push(path);
      } else if (f.type === 'FieldFunctionExpression') {
        throw unsupported(this.soql, f.functionName, `${f.functionName}() outside an aggregate query`);
      } else if (f.type === 'FieldSubquery') {
        throw unsupported(this.soql, '(', 'A child relationship subquery');
      } else {
        throw unsupported(this.soql, 'TYPEOF', 'TYPEOF');
      }
    }
    if (count && select.length) throw soqlError('MALFORMED_QUERY', this.soql, 'COUNT', 'COUNT() must be the only element in the SELECT list');
    return { select, count };
  }

  /** `convertCurrency(Field)` on a currency field the object converts; the plan keeps the call as the path. */
  private convertCurrency(parameters: unknown[]): string {
    const [arg, ...rest] = parameters;
    const name = typeof arg === 'string' ? arg : '';
    const field = name && !rest.length ? this.resolve(name, 'select') : undefined;
    if (!field || field.relationship || !this.object.queryRules?.convertCurrency?.includes(field.field.name)) {
      throw soqlError('INVALID_FIELD', this.soql, name || 'convertCurrency', `convertCurrency can only be applied to a currency field: ${name}`);
    }
    return `convertCurrency(${field.path})`;
  }

  private orderBy(clause: OrderByClause | OrderByClause[] | undefined): PlanOrder[] {
    const items = clause === undefined ? [] : Array.isArray(clause) ? clause : [clause];
    return items.map((o) => {
      if (!('field' in o) || !o.field) throw unsupported(this.soql, 'ORDER BY', 'ORDER BY a function');
      const { path } = this.resolve(o.field, 'sort');
      const direction = o.order ?? 'ASC';
      // Salesforce's defaults: nulls first ascending, last descending.
      const usual = direction === 'ASC' ? 'FIRST' : 'LAST';
      if (o.nulls && o.nulls !== usual && this.object.queryRules?.defaultNullOrderOnly) {
        throw soqlError('MALFORMED_QUERY', this.soql, 'NULLS', `${this.object.name}: ORDER BY … ${direction} can only be used with NULLS ${usual}`);
      }
      return { field: path, direction, nulls: o.nulls ?? usual };
    });
  }

  /** Refuses what an object answering only indexed equalities (SoqlQueryRules.equalityFilterFields) cannot do. */
  equalityOnly(token: string, field?: string, op?: string): void {
    const fields = this.object.queryRules?.equalityFilterFields;
    if (!fields) return;
    const name = this.object.name;
    if (field === undefined) {
      throw soqlError('INVALID_QUERY_FILTER_OPERATOR', this.soql, token, `${token} is not supported on ${name}: join equality filters with AND`);
    }
    if (op !== '=') {
      throw soqlError('INVALID_QUERY_FILTER_OPERATOR', this.soql, token, `operator '${op ?? ''}' is not supported on ${name}: only equality filters (=) on indexed fields are; range filters aren't supported`);
    }
    if (!fields.includes(field)) {
      throw soqlError('INVALID_QUERY_FILTER_OPERATOR', this.soql, token, `field '${field}' is not indexed: ${name} can only be filtered by ${fields.join(', ')}`);
    }
  }

  get soqlText(): string {
    return this.soql;
  }

  /** Set once the plan depends on who asks or when (owner or date literals), so it is not cached. */
  usedContext = false;

  get context(): PlannerContext {
    this.usedContext = true;
    return this.ctx;
  }

  get described(): SObjectDescription {
    return this.object;
  }
}

function resolvePathTarget(object: SObjectDescription, relationship: string): string | undefined {
  const key = Object.keys(object.relationships).find((k) => k.toLowerCase() === relationship.toLowerCase());
  return key ? object.relationships[key].target.name : undefined;
}

/*
 * The parser returns WHERE as a right-leaning chain whose parentheses are counts on the
 * conditions, not tree structure. It is flattened back to tokens and re-parsed with SOQL's rules:
 * NOT binds to the next operand, and AND and OR may not be mixed without parentheses.
 */
type Token = { t: '(' } | { t: ')' } | { t: 'AND' } | { t: 'OR' } | { t: 'NOT' } | { t: 'cond'; c: Condition };

function toTokens(where: WhereClause): Token[] {
  const out: Token[] = [];
  let node: WhereClause | undefined = where;
  while (node) {
    const n = node as { left: (Condition & { openParen?: number; closeParen?: number }) | null; operator?: string; right?: WhereClause };
    if (n.operator === 'NOT') {
      for (let i = 0; i < (n.left?.openParen ?? 0); i++) out.push({ t: '(' });
      out.push({ t: 'NOT' });
      node = n.right;
      continue;
    }
    if (n.left) {
      for (let i = 0; i < (n.left.openParen ?? 0); i++) out.push({ t: '(' });
      out.push({ t: 'cond', c: n.left });
      for (let i = 0; i < (n.left.closeParen ?? 0); i++) out.push({ t: ')' });
    }
    if (n.operator === 'AND' || n.operator === 'OR') out.push({ t: n.operator });
    node = n.right;
  }
  return out;
}

class ConditionBuilder {
  private i = 0;

  constructor(
    private readonly p: Planner,
    private readonly tokens: Token[],
    private readonly lowerCondition: (c: Condition) => PlanCondition = (c) => new ConditionLowering(p).lower(c),
  ) {}

  build(): PlanCondition {
    const c = this.expression();
    if (this.i !== this.tokens.length) throw soqlError('MALFORMED_QUERY', this.p.soqlText, ')', "unexpected token: ')'");
    return c;
  }

  private expression(): PlanCondition {
    const items = [this.operand()];
    let joiner: 'AND' | 'OR' | undefined;
    for (;;) {
      const tok = this.tokens[this.i];
      if (!tok || (tok.t !== 'AND' && tok.t !== 'OR')) break;
      if (joiner && joiner !== tok.t) throw soqlError('MALFORMED_QUERY', this.p.soqlText, tok.t, `unexpected token: '${tok.t}'`);
      if (tok.t === 'OR') this.p.equalityOnly(tok.t);
      joiner = tok.t;
      this.i++;
      items.push(this.operand());
    }
    return items.length === 1 ? items[0] : { kind: joiner === 'OR' ? 'or' : 'and', items };
  }

  private operand(): PlanCondition {
    const tok = this.tokens[this.i++];
    if (!tok) throw new SoqlError(400, 'MALFORMED_QUERY', 'unexpected end of WHERE clause');
    if (tok.t === 'NOT') {
      this.p.equalityOnly(tok.t);
      return { kind: 'not', item: this.operand() };
    }
    if (tok.t === '(') {
      const inner = this.expression();
      if (this.tokens[this.i++]?.t !== ')') throw new SoqlError(400, 'MALFORMED_QUERY', 'unbalanced parentheses in WHERE clause');
      return inner;
    }
    if (tok.t === 'cond') return this.lowerCondition(tok.c);
    throw soqlError('MALFORMED_QUERY', this.p.soqlText, tok.t, `unexpected token: '${tok.t}'`);
  }
}

type RawFunction = { functionName: string; parameters?: unknown[]; rawValue?: string };
type Raw = { field?: string; fn?: RawFunction; operator: string; value?: string | string[]; literalType?: string | string[]; dateLiteralVariable?: number | number[]; valueQuery?: Query };

class ConditionLowering {
  constructor(
    private readonly p: Planner,
    /** Inside a semi-join's subquery, which may not nest another. */
    private readonly nested = false,
  ) {}

  lower(condition: Condition): PlanCondition {
    const c = condition as Raw;
    const soql = this.p.soqlText;
    if (!c.field) throw unsupported(soql, c.fn?.functionName, 'A function in WHERE');
    if (c.valueQuery) {
      if (!allows(this.p.described, 'semiJoins')) throw soqlError('MALFORMED_QUERY', soql, 'SELECT', `a semi-join is not supported on ${this.p.described.name}`);
      return this.semiJoin(c);
    }
    const { path, field } = this.p.resolve(c.field, 'filter');
    const op = (c.operator === '<>' ? '!=' : c.operator.toUpperCase()) as SoqlOperator | 'INCLUDES' | 'EXCLUDES';
    this.p.equalityOnly(c.field, path, op);
    if (op === 'INCLUDES' || op === 'EXCLUDES') throw soqlError('INVALID_QUERY_FILTER_OPERATOR', soql, op, `${op} operator is only valid on multipicklist fields`);
    if (field.filterOperators && !field.filterOperators.includes(op)) {
      throw soqlError('INVALID_QUERY_FILTER_OPERATOR', soql, c.field, `operator '${op}' is not allowed on field '${field.name}'`);
    }
    if (op === 'IN' || op === 'NOT IN') {
      const values = Array.isArray(c.value) ? c.value : [c.value ?? ''];
      const types = Array.isArray(c.literalType) ? c.literalType : values.map(() => c.literalType as string);
      const vars = Array.isArray(c.dateLiteralVariable) ? c.dateLiteralVariable : [];
      return {
        kind: 'in',
        field: path,
        negate: op === 'NOT IN',
        values: values.map((v, i) => {
          const lowered = this.literal(field, c.field as string, types[i] ?? 'STRING', v, vars[i] ?? undefined, op);
          if (typeof lowered === 'object' && lowered !== null) throw soqlError('INVALID_QUERY_FILTER_OPERATOR', soql, c.field, 'date literals are not supported in IN lists');
          return lowered;
        }),
      };
    }
    if (Array.isArray(c.value)) throw soqlError('MALFORMED_QUERY', soql, c.field, `unexpected token: '('`);
    const type = (Array.isArray(c.literalType) ? c.literalType[0] : c.literalType) ?? 'STRING';
    const variable = Array.isArray(c.dateLiteralVariable) ? c.dateLiteralVariable[0] : c.dateLiteralVariable;
    const value = this.literal(field, c.field, type, c.value ?? '', variable, op);
    if (op === 'LIKE') {
      if (field.type !== 'string' && field.type !== 'picklist') throw soqlError('INVALID_QUERY_FILTER_OPERATOR', soql, c.field, `invalid operator on ${field.type} field: LIKE`);
      if (field.valueKind === 'ownerName') throw soqlError('INVALID_QUERY_FILTER_OPERATOR', soql, c.field, `operator 'LIKE' is not supported on field '${field.name}'`);
    }
    if (value !== null && typeof value === 'object') return rangeCondition(path, op, value);
    return { kind: 'compare', field: path, op: op as Exclude<SoqlOperator, 'IN' | 'NOT IN'>, value };
  }

  /** `Id IN (SELECT Id FROM AsyncOperationTracker WHERE …)`: the same object, one id or reference field each side. */
  private semiJoin(c: Raw): PlanCondition {
    const soql = this.p.soqlText;
    const sub = c.valueQuery as Query;
    const op = c.operator.toUpperCase();
    if (this.nested) throw soqlError('MALFORMED_QUERY', soql, 'SELECT', 'Nesting of semi join sub-selects is not supported');
    if (op !== 'IN' && op !== 'NOT IN') throw soqlError('MALFORMED_QUERY', soql, c.field, `a semi-join needs IN or NOT IN, not ${op}`);
    const object = this.p.described;
    if ((sub.sObject ?? '').toLowerCase() !== object.name.toLowerCase()) throw unsupported(soql, sub.sObject, `A semi-join on ${sub.sObject ?? 'another object'}`);
    if (sub.groupBy || sub.having || sub.orderBy || sub.limit !== undefined || sub.offset !== undefined) {
      throw soqlError('MALFORMED_QUERY', soql, 'SELECT', 'a semi-join subquery may only select one field and filter it');
    }
    const [only, ...more] = sub.fields ?? [];
    if (!only || more.length || only.type !== 'Field') throw soqlError('MALFORMED_QUERY', soql, 'SELECT', 'a semi-join subquery must select exactly one Id or reference field');
    const idLike = (path: string, raw: string) => {
      const r = this.p.resolve(raw, 'filter');
      if (r.relationship || !(r.field.type === 'id' || (r.field.type === 'reference' && r.field.referenceTo?.includes(object.name)))) {
        throw soqlError('INVALID_FIELD', soql, raw, `${path}: a semi-join compares an Id or a reference to ${object.name}, not '${r.field.name}'`);
      }
      return r.path;
    };
    const field = idLike('the outer field', c.field as string);
    const subField = idLike('the subquery field', only.field);
    const where = sub.where ? new ConditionBuilder(this.p, toTokens(sub.where), (x) => new ConditionLowering(this.p, true).lower(x)).build() : null;
    return { kind: 'semiJoin', field, negate: op === 'NOT IN', subField, where };
  }

  /** A literal checked against the field's type and turned into the plan's typed value. */
  literal(field: SObjectField, raw: string, type: string, value: string, n: number | undefined, op: string): PlanValue | { start: string; end: string } {
    const soql = this.p.soqlText;
    if (type === 'NULL') return null;
    const mismatch = (expected: string, quoted: boolean) =>
      soqlError('INVALID_FIELD', soql, raw, `value of filter criterion for field '${field.name}' must be of type ${expected} and should ${quoted ? '' : 'not '}be enclosed in quotes`);
    switch (field.type) {
      case 'int': {
        if (type !== 'INTEGER') throw mismatch('double', false);
        const num = Number(value);
        if (!Number.isSafeInteger(num)) throw soqlError('INVALID_FIELD', soql, raw, `value of filter criterion for field '${field.name}' is out of range`);
        return num;
      }
      case 'currency': {
        // Kept as decimal text: the owning service compares it as numeric, so no binary rounding.
        if (type !== 'INTEGER' && type !== 'DECIMAL') throw mismatch('double', false);
        if (!/^-?\d{1,16}(\.\d{1,8})?$/.test(value)) throw soqlError('INVALID_FIELD', soql, raw, `value of filter criterion for field '${field.name}' is out of range`);
        return value;
      }
      case 'datetime': {
        if (type === 'DATETIME') {
          const d = new Date(value);
          if (Number.isNaN(d.getTime())) throw mismatch('dateTime', false);
          return d.toISOString();
        }
        if (type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL') {
          const range = dateLiteralRange(value, this.p.context.now, type === 'DATE_N_LITERAL' ? n : undefined);
          if (!range) throw unsupported(soql, value.split(':')[0], `The date literal ${value}`);
          return { start: range.start.toISOString(), end: range.end.toISOString() };
        }
        throw mismatch('dateTime', false);
      }
      default: {
        if (type !== 'STRING') throw mismatch('string', true);
        if (op === 'LIKE') return likePattern(unquote(value, true));
        return this.typedString(field, raw, unquote(value));
      }
    }
  }

  private typedString(field: SObjectField, raw: string, text: string): PlanValue {
    switch (field.valueKind) {
      case 'recordNumber': {
        const target = field.type === 'id' ? this.p.described : this.p.described.relationships[field.relationshipName ?? '']?.target;
        const decoded = target ? decodeRecordId(target.keyPrefix, text) : undefined;
        if (!decoded?.ok) throw soqlError('INVALID_QUERY_FILTER_OPERATOR', this.p.soqlText, raw, `invalid ID field: ${text}`);
        return decoded.number;
      }
      case 'owner': {
        const ctx = this.p.context;
        const mine = text.length >= 15 && ctx.ownerRecordId.startsWith(text.slice(0, 15)) && (text.length === 15 || text.toUpperCase() === ctx.ownerRecordId.toUpperCase());
        // Another owner's id can match nothing: every query only ever reads the caller's records.
        return mine ? ctx.ownerId : text;
      }
      case 'ownerName': {
        const ctx = this.p.context;
        return text.toLowerCase() === ctx.ownerName.toLowerCase() ? ctx.ownerId : `name:${text}`;
      }
      default:
        if (field.type === 'picklist') {
          // Salesforce compares strings case-insensitively; picklist values are stored in their canonical case.
          const known = field.picklistValues?.find((v) => v.value.toLowerCase() === text.toLowerCase());
          return known ? known.value : text;
        }
        return text;
    }
  }
}

function rangeCondition(path: string, op: string, range: { start: string; end: string }): PlanCondition {
  const ge = (v: string): PlanCondition => ({ kind: 'compare', field: path, op: '>=', value: v });
  const lt = (v: string): PlanCondition => ({ kind: 'compare', field: path, op: '<', value: v });
  switch (op) {
    case '=':
      return { kind: 'and', items: [ge(range.start), lt(range.end)] };
    case '!=':
      return { kind: 'or', items: [lt(range.start), ge(range.end), { kind: 'compare', field: path, op: '=', value: null }] };
    case '<':
      return lt(range.start);
    case '<=':
      return lt(range.end);
    case '>':
      return ge(range.end);
    case '>=':
      return ge(range.start);
    default:
      throw new SoqlError(400, 'INVALID_QUERY_FILTER_OPERATOR', `invalid operator on dateTime field: ${op}`);
  }
}

/** A SOQL string literal's value: quotes removed, backslash escapes resolved. */
export function unquote(literal: string, forLike = false): string {
  const body = literal.startsWith("'") && literal.endsWith("'") && literal.length >= 2 ? literal.slice(1, -1) : literal;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\' || i === body.length - 1) {
      out += c;
      continue;
    }
    const next = body[++i];
    const mapped: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
    // \% and \_ stay escaped: only LIKE gives them meaning, and likePattern reads them.
    out += forLike && (next === '%' || next === '_') ? `\\${next}` : (mapped[next] ?? next);
  }
  return out;
}

/**
 * A LIKE pattern in the plan's syntax (`%` and `_` wildcards, `\` escapes), which is SQL's with
 * ESCAPE '\'. A lone backslash in the data is escaped so it cannot escape what follows.
 */
function likePattern(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '%' || text[i + 1] === '_')) {
      out += `\\${text[++i]}`;
    } else if (c === '\\') {
      out += '\\\\';
    } else {
      out += c;
    }
  }
  return out;
}

const AGGREGATES = new Set<string>(AGGREGATE_FUNCTIONS);
const DATES = new Set<string>(DATE_FUNCTIONS);

/** An aggregate query: an aggregate or date function in SELECT, or GROUP BY or HAVING. */
function isAggregateQuery(q: Query): boolean {
  if (q.groupBy || q.having) return true;
  return (q.fields ?? []).some((f) => f.type === 'FieldFunctionExpression' && (DATES.has(f.functionName.toUpperCase()) || (AGGREGATES.has(f.functionName.toUpperCase()) && f.parameters.length > 0)));
}

/**
 * SELECT, GROUP BY, HAVING and ORDER BY of an aggregate query. Every selected or sorted value is
 * grouped or aggregated; unaliased function columns are named expr0, expr1… and grouped fields by
 * their field name, as Salesforce's AggregateResult records show them.
 */
class AggregatePlanner {
  constructor(
    private readonly p: Planner,
    private readonly q: Query,
  ) {}

  plan(): PlanAggregation {
    const soql = this.p.soqlText;
    const groupBy = this.groupBy();
    const columns: PlanAggregation['columns'] = [];
    let exprN = 0;
    for (const f of this.q.fields ?? []) {
      let expr: PlanExpression;
      let name: string;
      let raw: string;
      if (f.type === 'Field' || f.type === 'FieldRelationship') {
        raw = f.type === 'Field' ? f.field : (f.rawValue ?? [...f.relationships, f.field].join('.'));
        const r = this.p.resolve(raw, 'select');
        expr = { kind: 'field', field: r.path };
        name = ('alias' in f && typeof f.alias === 'string' ? f.alias : undefined) ?? r.field.name;
      } else if (f.type === 'FieldFunctionExpression') {
        raw = f.rawValue ?? f.functionName;
        if (f.functionName.toUpperCase() === 'COUNT' && f.parameters.length === 0) throw soqlError('MALFORMED_QUERY', soql, 'COUNT', 'COUNT() must be the only element in the SELECT list and cannot be grouped; use COUNT(Id)');
        expr = this.function(f.functionName, f.parameters, raw);
        name = f.alias ?? `expr${exprN++}`;
      } else {
        throw unsupported(soql, f.type === 'FieldSubquery' ? '(' : 'TYPEOF', f.type === 'FieldSubquery' ? 'A child relationship subquery' : 'TYPEOF');
      }
      if (expr.kind !== 'aggregate' && !groupBy.some((g) => sameExpression(g, expr))) throw soqlError('MALFORMED_QUERY', soql, raw, `Field must be grouped or aggregated: ${name}`);
      if (columns.some((c) => c.name.toLowerCase() === name.toLowerCase())) throw soqlError('MALFORMED_QUERY', soql, raw, `duplicate alias: ${name}`);
      columns.push({ name, expr });
    }
    const having = this.q.having
      ? new ConditionBuilder(this.p, toTokens(this.q.having as unknown as WhereClause), (c) => this.havingCondition(c as unknown as Raw, groupBy)).build()
      : null;
    return { columns, groupBy, having, orderBy: this.orderBy(groupBy) };
  }

  private groupBy(): PlanExpression[] {
    const soql = this.p.soqlText;
    const items = this.q.groupBy === undefined ? [] : Array.isArray(this.q.groupBy) ? this.q.groupBy : [this.q.groupBy];
    const out: PlanExpression[] = [];
    for (const g of items) {
      let expr: PlanExpression;
      if ('field' in g && g.field) {
        expr = { kind: 'field', field: this.p.resolve(g.field, 'group').path };
      } else if ('fn' in g && g.fn) {
        const fn = (g.fn.functionName ?? '').toUpperCase();
        if (!DATES.has(fn)) throw unsupported(soql, g.fn.functionName, `GROUP BY ${fn}()`);
        expr = this.function(fn, g.fn.parameters ?? [], g.fn.rawValue ?? fn);
      } else {
        throw soqlError('MALFORMED_QUERY', soql, 'GROUP BY', 'unexpected GROUP BY item');
      }
      if (out.some((x) => sameExpression(x, expr))) throw soqlError('MALFORMED_QUERY', soql, 'GROUP BY', 'duplicate field in GROUP BY');
      out.push(expr);
    }
    return out;
  }

  /** An aggregate or a date function call with one field argument (COUNT may have none). */
  private function(name: string, parameters: unknown[], raw: string): PlanExpression {
    const soql = this.p.soqlText;
    const fn = name.toUpperCase();
    if (!AGGREGATES.has(fn) && !DATES.has(fn)) throw unsupported(soql, name, `${name}()`);
    if (fn === 'COUNT' && parameters.length === 0) return { kind: 'aggregate', fn: 'COUNT', field: null };
    const [arg, ...rest] = parameters;
    if (typeof arg !== 'string' || rest.length) throw soqlError('MALFORMED_QUERY', soql, name, `${fn}() takes one field`);
    if (DATES.has(fn)) {
      const r = this.p.resolve(arg, 'select');
      if (r.field.type !== 'datetime') throw soqlError('INVALID_FIELD', soql, arg, `${fn}() can only be applied to a date or dateTime field: ${r.field.name}`);
      return { kind: 'date', fn: fn as DateFunction, field: r.path };
    }
    const r = this.p.resolve(arg, 'select');
    if (!r.field.aggregatable || !aggregateAccepts(fn as AggregateFunction, r.field)) {
      throw soqlError('INVALID_FIELD', soql, raw, `field ${r.field.name} does not support aggregate operator ${fn}`);
    }
    return { kind: 'aggregate', fn: fn as AggregateFunction, field: r.path };
  }

  private havingCondition(c: Raw, groupBy: PlanExpression[]): PlanCondition {
    const soql = this.p.soqlText;
    if (c.field) {
      const lowered = new ConditionLowering(this.p, true).lower(c as unknown as Condition);
      if ((lowered.kind === 'compare' || lowered.kind === 'in') && groupBy.some((g) => sameExpression(g, { kind: 'field', field: lowered.field }))) return lowered;
      throw soqlError('MALFORMED_QUERY', soql, c.field, `Field must be grouped or aggregated: ${c.field}`);
    }
    if (!c.fn) throw soqlError('MALFORMED_QUERY', soql, 'HAVING', 'unexpected HAVING condition');
    const expr = this.function(c.fn.functionName, c.fn.parameters ?? [], c.fn.rawValue ?? c.fn.functionName);
    if (expr.kind === 'date' && !groupBy.some((g) => sameExpression(g, expr))) throw soqlError('MALFORMED_QUERY', soql, c.fn.functionName, `Field must be grouped or aggregated: ${c.fn.rawValue ?? ''}`);
    const op = c.operator === '<>' ? '!=' : c.operator.toUpperCase();
    if (!['=', '!=', '<', '<=', '>', '>='].includes(op)) throw soqlError('INVALID_QUERY_FILTER_OPERATOR', soql, c.fn.functionName, `operator ${op} is not supported on ${c.fn.rawValue ?? 'an aggregate'} in HAVING`);
    const type = (Array.isArray(c.literalType) ? c.literalType[0] : c.literalType) ?? 'STRING';
    const text = Array.isArray(c.value) ? undefined : c.value;
    if (text === undefined) throw soqlError('MALFORMED_QUERY', soql, c.fn.functionName, 'HAVING compares with one value');
    let value: PlanValue;
    if (type === 'NULL') value = null;
    else if (expr.kind === 'date' && expr.fn === 'DAY_ONLY') {
      if (type !== 'DATE' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) throw soqlError('INVALID_FIELD', soql, c.fn.functionName, 'DAY_ONLY() compares with a date literal such as 2024-01-31');
      value = text;
    } else if (expr.kind === 'aggregate' && (expr.fn === 'MIN' || expr.fn === 'MAX') && expr.field) {
      const r = resolvePath(this.p.described, expr.field);
      const lowered = new ConditionLowering(this.p).literal(r?.field as SObjectField, c.fn.functionName, type, text, undefined, op);
      if (lowered !== null && typeof lowered === 'object') throw soqlError('INVALID_QUERY_FILTER_OPERATOR', soql, c.fn.functionName, 'date literals are not supported in HAVING');
      value = lowered;
    } else {
      if (type !== 'INTEGER' && type !== 'DECIMAL') throw soqlError('INVALID_FIELD', soql, c.fn.functionName, `value of filter criterion for ${c.fn.rawValue ?? 'the aggregate'} must be a number`);
      value = Number(text);
      if (!Number.isFinite(value)) throw soqlError('INVALID_FIELD', soql, c.fn.functionName, 'value out of range');
    }
    return { kind: 'having', expr, op: op as '=' | '!=' | '<' | '<=' | '>' | '>=', value };
  }

  private orderBy(groupBy: PlanExpression[]): PlanAggregation['orderBy'] {
    const soql = this.p.soqlText;
    const items = this.q.orderBy === undefined ? [] : Array.isArray(this.q.orderBy) ? this.q.orderBy : [this.q.orderBy];
    return items.map((o) => {
      let expr: PlanExpression;
      if ('field' in o && o.field) expr = { kind: 'field', field: this.p.resolve(o.field, 'sort').path };
      else if ('fn' in o && o.fn) expr = this.function(o.fn.functionName ?? '', o.fn.parameters ?? [], o.fn.rawValue ?? o.fn.functionName ?? '');
      else throw soqlError('MALFORMED_QUERY', soql, 'ORDER BY', 'unexpected ORDER BY item');
      if (expr.kind !== 'aggregate' && !groupBy.some((g) => sameExpression(g, expr))) {
        throw soqlError('MALFORMED_QUERY', soql, 'ORDER BY', 'Ordered field must be grouped or aggregated');
      }
      const direction = o.order ?? 'ASC';
      return { expr, direction, nulls: o.nulls ?? (direction === 'ASC' ? 'FIRST' : 'LAST') };
    });
  }
}

function sameExpression(a: PlanExpression, b: PlanExpression): boolean {
  if (a.kind !== b.kind || a.field !== b.field) return false;
  return a.kind === 'field' || (a as { fn: string }).fn === (b as { fn: string }).fn;
}
