import { MAX_AGGREGATE_ROWS, type DateFunction, type PlanCondition, type PlanExpression, type PlanValue, type QueryPlan } from '../query-plan';
import { ObjectStorage, StoredColumn } from './object-storage';

export interface CompiledSql {
  sql: string;
  values: unknown[];
}

export interface PageWindow {
  ownerId: string;
  /** Rows of the query already returned by earlier pages. */
  pageOffset: number;
  pageSize: number;
  /** Later pages read below the first page's highest auto-number; the first page has none yet. */
  snapshot: number | null;
  /**
   * First page: the same statement also returns the total (a window count before LIMIT) and the
   * snapshot, so a page costs one round trip and all three agree.
   */
  withTotals: boolean;
}

const CAST: Record<StoredColumn['kind'], string> = { text: 'text', number: 'bigint', timestamp: 'timestamptz', numeric: 'numeric' };

/** A selected cell: numeric values as decimal text. */
const selectable = (c: StoredColumn) => (c.kind === 'numeric' ? `${c.sql}::text` : c.sql);

/** Date functions in UTC, as the gateway evaluates date literals. */
const DATE_SQL: Record<DateFunction, (utc: string) => string> = {
  CALENDAR_MONTH: (x) => `EXTRACT(MONTH FROM ${x})::int`,
  CALENDAR_QUARTER: (x) => `EXTRACT(QUARTER FROM ${x})::int`,
  CALENDAR_YEAR: (x) => `EXTRACT(YEAR FROM ${x})::int`,
  DAY_IN_MONTH: (x) => `EXTRACT(DAY FROM ${x})::int`,
  // Salesforce numbers weekdays from Sunday = 1.
  DAY_IN_WEEK: (x) => `(EXTRACT(DOW FROM ${x})::int + 1)`,
  DAY_IN_YEAR: (x) => `EXTRACT(DOY FROM ${x})::int`,
  DAY_ONLY: (x) => `to_char(${x}, 'YYYY-MM-DD')`,
  HOUR_IN_DAY: (x) => `EXTRACT(HOUR FROM ${x})::int`,
};

/** What an aggregate query's cell holds, so the service returns numbers as numbers. */
export type AggregateCellKind = 'number' | 'decimal' | 'text' | 'timestamp' | 'numeric';

/**
 * Turns a checked plan into parameterised SQL. Identifiers come only from the storage map and
 * every literal is a bind parameter, so nothing a client typed is ever SQL text.
 */
export class SqlCompiler {
  private readonly values: unknown[] = [];
  /** The owner parameter of the statement, reused by semi-join subqueries. */
  private ownerParam = '';

  constructor(private readonly storage: ObjectStorage) {}

  private param(value: unknown, kind: StoredColumn['kind'], array = false): string {
    this.values.push(value);
    return `$${this.values.length}::${CAST[kind]}${array ? '[]' : ''}`;
  }

  private column(path: string): StoredColumn {
    const col = this.storage.columns[path];
    // assertValidPlan checked the path against the description; a gap here is a storage map bug.
    if (!col) throw new Error(`no storage for field ${path}`);
    return col;
  }

  private get ownerColumn(): string {
    return `o."${this.storage.ownerColumnName}"`;
  }

  private get numberColumn(): string {
    return `o."${this.storage.numberColumnName}"`;
  }

  /** The scoped, snapshot-bounded set the query reads, without paging. */
  private scope(plan: QueryPlan, ownerParam: string, snapshot: number | null): string {
    this.ownerParam = ownerParam;
    const parts = [`${this.ownerColumn} = ${ownerParam}`];
    if (snapshot !== null) parts.push(`${this.numberColumn} <= ${this.param(snapshot, 'number')}`);
    if (plan.where) parts.push(this.condition(plan.where));
    return `FROM ${this.storage.from} WHERE ${parts.join(' AND ')}`;
  }

  private orderBy(plan: QueryPlan): string {
    const keys = plan.orderBy.map((o) => `${this.column(o.field).sql} ${o.direction} NULLS ${o.nulls}`);
    // A unique last key makes the order total, so OFFSET pages never overlap or skip.
    keys.push(`${this.numberColumn} ASC`);
    return `ORDER BY ${keys.join(', ')}`;
  }

  /** SOQL's OFFSET and LIMIT around the whole result; pages slice inside that window. */
  private window(plan: QueryPlan, pageOffset: number, pageSize: number): { offset: number; limit: number } {
    const remaining = plan.limit === null ? pageSize : Math.max(0, Math.min(pageSize, plan.limit - pageOffset));
    return { offset: plan.offset + pageOffset, limit: remaining };
  }

  rows(plan: QueryPlan, page: PageWindow): CompiledSql {
    const owner = this.param(page.ownerId, 'text');
    const selected = [this.numberColumn, ...plan.select.map((p) => selectable(this.column(p))), ...this.relationshipsOf(plan).map((r) => this.storage.relationships[r].sql)];
    const columns = selected.map((s, i) => `${s} AS "c${i}"`);
    if (page.withTotals) {
      columns.push('count(*) OVER () AS "total"');
      columns.push(`(SELECT coalesce(max(s."${this.storage.numberColumnName}"), 0) FROM ${this.storage.table} s WHERE s."${this.storage.ownerColumnName}" = ${owner}) AS "snapshot"`);
    }
    const scope = this.scope(plan, owner, page.snapshot);
    const { offset, limit } = this.window(plan, page.pageOffset, page.pageSize);
    const sql = `SELECT ${columns.join(', ')} ${scope} ${this.orderBy(plan)} LIMIT ${this.param(limit, 'number')} OFFSET ${this.param(offset, 'number')}`;
    return { sql, values: this.values };
  }

  /** `SELECT COUNT()`: the number of rows within SOQL's LIMIT and OFFSET. */
  count(plan: QueryPlan, ownerId: string): CompiledSql {
    const scope = this.scope(plan, this.param(ownerId, 'text'), null);
    const limit = plan.limit === null ? '' : ` LIMIT ${this.param(plan.limit, 'number')}`;
    const sql = `SELECT count(*)::bigint AS "n" FROM (SELECT 1 ${scope}${limit} OFFSET ${this.param(plan.offset, 'number')}) t`;
    return { sql, values: this.values };
  }

  /**
   * An aggregate query: one row per group (one row in all without GROUP BY), at most one more
   * than a batch so the caller can tell when the groups do not fit in one.
   */
  aggregate(plan: QueryPlan, ownerId: string): CompiledSql {
    const a = plan.aggregate;
    if (!a) throw new Error('not an aggregate plan');
    const scope = this.scope(plan, this.param(ownerId, 'text'), null);
    const columns = a.columns.map((c, i) => `${this.expression(c.expr)} AS "c${i}"`);
    const groups = a.groupBy.map((g) => this.expression(g));
    let sql = `SELECT ${columns.join(', ')} ${scope}`;
    if (groups.length) sql += ` GROUP BY ${groups.join(', ')}`;
    if (a.having) sql += ` HAVING ${this.condition(a.having)}`;
    const keys = [...a.orderBy.map((o) => `${this.expression(o.expr)} ${o.direction} NULLS ${o.nulls}`), ...groups.map((g) => `${g} ASC`)];
    if (keys.length) sql += ` ORDER BY ${keys.join(', ')}`;
    const limit = Math.min(plan.limit ?? Number.MAX_SAFE_INTEGER, MAX_AGGREGATE_ROWS + 1);
    sql += ` LIMIT ${this.param(limit, 'number')} OFFSET ${this.param(plan.offset, 'number')}`;
    return { sql, values: this.values };
  }

  /** The kind of each aggregate column, in order. */
  aggregateKinds(plan: QueryPlan): AggregateCellKind[] {
    return (plan.aggregate?.columns ?? []).map(({ expr }) => {
      if (expr.kind === 'date') return expr.fn === 'DAY_ONLY' ? 'text' : 'number';
      if (expr.kind === 'aggregate' && expr.fn !== 'MIN' && expr.fn !== 'MAX') return expr.fn === 'AVG' ? 'decimal' : 'number';
      return this.column(expr.field as string).kind;
    });
  }

  private expression(e: PlanExpression): string {
    switch (e.kind) {
      case 'field':
        return this.column(e.field).sql;
      case 'date':
        return DATE_SQL[e.fn](`(${this.column(e.field).sql} AT TIME ZONE 'UTC')`);
      case 'aggregate': {
        if (e.field === null) return 'count(*)';
        const col = this.column(e.field);
        // Text compares case-insensitively in SOQL, so distinct values do too.
        const value = col.caseInsensitive && col.kind === 'text' ? `lower(${col.sql})` : col.sql;
        switch (e.fn) {
          case 'COUNT':
            return `count(${col.sql})`;
          case 'COUNT_DISTINCT':
            return `count(DISTINCT ${value})`;
          case 'SUM':
            return `sum(${col.sql})`;
          case 'AVG':
            return `avg(${col.sql})`;
          case 'MIN':
            return `min(${col.sql})`;
          case 'MAX':
            return `max(${col.sql})`;
        }
      }
    }
    throw new Error('unknown expression');
  }

  /** HAVING on an aggregate or a date function; numbers compare as numeric so AVG meets decimals. */
  private havingCompare(e: PlanExpression, op: string, value: PlanValue): string {
    const lhs = this.expression(e);
    if (value === null) return op === '=' ? `(${lhs} IS NULL)` : op === '!=' ? `(${lhs} IS NOT NULL)` : 'FALSE';
    const numeric = e.kind === 'date' ? e.fn !== 'DAY_ONLY' : e.kind === 'aggregate' && (e.field === null || !['MIN', 'MAX'].includes(e.fn));
    let rhs: string;
    if (numeric) {
      this.values.push(value);
      rhs = `$${this.values.length}::numeric`;
    } else if (e.kind === 'date') {
      rhs = this.param(value, 'text');
    } else {
      rhs = this.param(value, this.column(e.field as string).kind);
    }
    return op === '!=' ? `(${lhs} IS DISTINCT FROM ${rhs})` : `(${lhs} ${op} ${rhs})`;
  }

  /** `field [NOT] IN (SELECT subField …)` on the same object and owner; inner aliases shadow the outer ones. */
  private semiJoin(field: string, negate: boolean, subField: string, where: PlanCondition | null): string {
    const outer = this.column(field).sql;
    const inner = this.column(subField).sql;
    const parts = [`${this.ownerColumn} = ${this.ownerParam}`, `${inner} IS NOT NULL`];
    if (where) parts.push(this.condition(where));
    const sub = `SELECT ${inner} FROM ${this.storage.from} WHERE ${parts.join(' AND ')}`;
    return negate ? `(${outer} IS NULL OR NOT (${outer} IN (${sub})))` : `(${outer} IN (${sub}))`;
  }

  /** Relationships whose fields are selected; their reference value ends each row. */
  relationshipsOf(plan: QueryPlan): string[] {
    const names: string[] = [];
    for (const path of plan.select) {
      const dot = path.indexOf('.');
      if (dot > 0 && !names.includes(path.slice(0, dot))) names.push(path.slice(0, dot));
    }
    return names;
  }

  condition(c: PlanCondition): string {
    switch (c.kind) {
      case 'and':
      case 'or':
        return `(${c.items.map((i) => this.condition(i)).join(c.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        // SOQL treats null as a value: negating a comparison on a null field is true, where SQL says unknown.
        return `(NOT COALESCE(${this.condition(c.item)}, FALSE))`;
      case 'compare':
        return this.compare(c.field, c.op, c.value);
      case 'in':
        return this.inList(c.field, c.negate, c.values);
      case 'having':
        return this.havingCompare(c.expr, c.op, c.value);
      case 'semiJoin':
        return this.semiJoin(c.field, c.negate, c.subField, c.where);
    }
  }

  private compare(field: string, op: string, value: PlanValue): string {
    const col = this.column(field);
    if (value === null) {
      if (op === '=') return `(${col.sql} IS NULL)`;
      if (op === '!=') return `(${col.sql} IS NOT NULL)`;
      return 'FALSE';
    }
    if (op === 'LIKE') return `(${col.sql} ILIKE ${this.param(value, 'text')} ESCAPE '\\')`;
    const ci = col.caseInsensitive && col.kind === 'text';
    const lhs = ci ? `lower(${col.sql})` : col.sql;
    // Every bound parameter must appear in the SQL: PostgreSQL refuses untyped, unused ones.
    const rhs = ci ? `lower(${this.param(value, col.kind)})` : this.param(value, col.kind);
    switch (op) {
      case '=':
        return `(${lhs} = ${rhs})`;
      case '!=':
        // SOQL's != matches records where the field is null.
        return `(${lhs} IS DISTINCT FROM ${rhs})`;
      case '<':
      case '<=':
      case '>':
      case '>=':
        return `(${lhs} ${op} ${rhs})`;
      default:
        throw new Error(`operator ${op} reached the compiler`);
    }
  }

  private inList(field: string, negate: boolean, values: PlanValue[]): string {
    const col = this.column(field);
    const hasNull = values.includes(null);
    const present = values.filter((v): v is string | number => v !== null);
    const ci = col.caseInsensitive && col.kind === 'text';
    const lhs = ci ? `lower(${col.sql})` : col.sql;
    const member = present.length ? `${lhs} = ANY(${this.param(ci ? present.map((v) => String(v).toLowerCase()) : present, col.kind, true)})` : 'FALSE';
    if (!negate) return hasNull ? `(${member} OR ${col.sql} IS NULL)` : `(${member})`;
    return hasNull ? `(${col.sql} IS NOT NULL AND NOT (${member}))` : `(${col.sql} IS NULL OR NOT (${member}))`;
  }
}
