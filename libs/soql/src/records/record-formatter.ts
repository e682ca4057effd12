import { PlanExpression, QueryPlan, resolvePath } from '../query-plan';
import { encodeRecordId, salesforceDateTime } from '../record-id';
import { convertedField, SObjectDescription, SObjectField } from '../sobject-description';
import type { PlannerContext } from '../planner/soql-planner';

export type SalesforceRecord = { attributes: { type: string; url: string } } & Record<string, unknown>;

type Cell = string | number | null;

/** Rows as the owning service answers them: record number, the selected paths, then each relationship's reference. */
export interface PlanRows {
  rows: ReadonlyArray<ReadonlyArray<Cell>>;
  relationships: readonly string[];
}

export const sobjectUrl = (version: string, type: string, id: string) => `/services/data/v${version}/sobjects/${type}/${id}`;

/**
 * A currency amount as a JSON number, as Salesforce sends it, when the number prints back
 * exactly; amounts beyond double precision stay strings rather than silently change.
 */
export function currencyValue(amount: string): number | string {
  const n = Number(amount);
  return Number.isFinite(n) && n.toFixed(2) === Number(amount).toFixed(2) && Math.abs(n) < 2 ** 53 / 100 ? n : amount;
}

/** One selected path, resolved once per query rather than once per row. */
interface Column {
  /** The key the record shows (`GrandTotalAmount` for `convertCurrency(GrandTotalAmount)`). */
  name: string;
  /** Index of the relationship's reference cell, or -1 for the object's own fields. */
  reference: number;
  relationship?: string;
  /** The object's own Id: the record id the row's attributes already carry. */
  ownId?: boolean;
  value: (raw: Cell) => unknown;
}

/**
 * Rows of a planned query as Salesforce records: ids encoded, dateTimes in Salesforce's format,
 * relationships nested. Each path is resolved once per query; rows only apply the prepared
 * column converters.
 */
export class RecordFormatter {
  constructor(
    private readonly object: SObjectDescription,
    private readonly version: string,
    private readonly caller: PlannerContext,
  ) {}

  records(plan: QueryPlan, response: PlanRows): SalesforceRecord[] {
    const relIndex = new Map(response.relationships.map((r, i) => [r, 1 + plan.select.length + i]));
    const columns = plan.select.map((path) => this.column(path, relIndex));
    const type = this.object.name;
    const prefix = this.object.keyPrefix;
    const urlBase = `/services/data/v${this.version}/sobjects/${type}/`;
    const out: SalesforceRecord[] = new Array(response.rows.length);
    for (let r = 0; r < response.rows.length; r++) {
      const row = response.rows[r];
      const id = encodeRecordId(prefix, Number(row[0]));
      const record: SalesforceRecord = { attributes: { type, url: urlBase + id } };
      for (let i = 0; i < columns.length; i++) {
        const c = columns[i];
        if (c.reference < 0) {
          record[c.name] = c.ownId ? id : c.value(row[i + 1]);
          continue;
        }
        const rel = c.relationship as string;
        const ref = row[c.reference];
        if (ref === null || ref === undefined) {
          record[rel] = null;
          continue;
        }
        let nested = record[rel] as SalesforceRecord | undefined;
        if (!nested) {
          nested = { attributes: this.attributes(this.object.relationships[rel].target, ref) };
          record[rel] = nested;
        }
        nested[c.name] = c.value(row[i + 1]);
      }
      out[r] = record;
    }
    return out;
  }

  private column(path: string, relIndex: ReadonlyMap<string, number>): Column {
    const converted = convertedField(path);
    const resolved = resolvePath(this.object, converted ?? path);
    if (!resolved) return { name: path, reference: -1, value: () => null };
    const owner = resolved.relationship ? this.object.relationships[resolved.relationship].target : this.object;
    const value = (raw: Cell) => this.value(resolved.field, owner, raw);
    if (!resolved.relationship) return { name: resolved.field.name, reference: -1, ownId: resolved.field.type === 'id' && resolved.field.valueKind === 'recordNumber', value };
    return { name: resolved.field.name, reference: relIndex.get(resolved.relationship) ?? -1, relationship: resolved.relationship, value };
  }

  /**
   * Aggregate rows as Salesforce's AggregateResult records: one key per column, named by its alias,
   * its field name (grouped relationship fields too) or exprN; ids and dateTimes formatted as in records.
   */
  aggregateRecords(plan: QueryPlan, response: PlanRows): Array<{ attributes: { type: 'AggregateResult' } } & Record<string, unknown>> {
    const columns = plan.aggregate?.columns ?? [];
    return response.rows.map((row) => {
      const record: { attributes: { type: 'AggregateResult' } } & Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
      columns.forEach((c, i) => {
        record[c.name] = this.aggregateValue(c.expr, row[i]);
      });
      return record;
    });
  }

  private aggregateValue(expr: PlanExpression, raw: Cell | undefined): unknown {
    if (raw === null || raw === undefined) return null;
    if (expr.kind === 'date') return raw;
    if (expr.kind === 'aggregate' && expr.fn !== 'MIN' && expr.fn !== 'MAX') return Number(raw);
    const resolved = resolvePath(this.object, expr.field as string);
    if (!resolved) return raw;
    return this.value(resolved.field, resolved.relationship ? this.object.relationships[resolved.relationship].target : this.object, raw);
  }

  private attributes(object: SObjectDescription, ref: string | number): SalesforceRecord['attributes'] {
    const id = typeof ref === 'number' ? encodeRecordId(object.keyPrefix, ref) : this.caller.ownerRecordId;
    return { type: object.name, url: sobjectUrl(this.version, object.name, id) };
  }

  private value(field: SObjectField, owner: SObjectDescription, raw: Cell | undefined): unknown {
    if (raw === null || raw === undefined) return null;
    switch (field.valueKind) {
      case 'recordNumber': {
        const target = field.type === 'id' ? owner : owner.relationships[field.relationshipName ?? '']?.target;
        return target ? encodeRecordId(target.keyPrefix, Number(raw)) : null;
      }
      case 'owner':
        return this.caller.ownerRecordId;
      case 'ownerName':
        return this.caller.ownerName;
      default:
        if (field.type === 'datetime') return salesforceDateTime(String(raw));
        if (field.type === 'currency') return currencyValue(String(raw));
        if (field.type === 'int') return Number(raw);
        return raw;
    }
  }
}
