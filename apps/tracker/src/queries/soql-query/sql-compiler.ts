import type { PlanCondition, PlanValue, QueryPlan } from '@asyncops/contracts';
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

const CAST: Record<StoredColumn['kind'], string> = { text: 'text', number: 'bigint', timestamp: 'timestamptz' };

/**
 * Turns a checked plan into parameterised SQL. Identifiers come only from the storage map and
 * every literal is a bind parameter, so nothing a client typed is ever SQL text.
 */
export class SqlCompiler {
  private readonly values: unknown[] = [];

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
    const selected = [this.numberColumn, ...plan.select.map((p) => this.column(p).sql), ...this.relationshipsOf(plan).map((r) => this.storage.relationships[r].sql)];
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
