import { PlanExpression, QueryPlan, resolvePath, SObjectDescription, SObjectField, SoqlQueryResponse } from '@asyncops/contracts';
import { encodeRecordId, salesforceDateTime } from '../ids/record-id';
import type { PlannerContext } from '../query/soql-planner';

export type SalesforceRecord = { attributes: { type: string; url: string } } & Record<string, unknown>;

export const sobjectUrl = (version: string, type: string, id: string) => `/services/data/v${version}/sobjects/${type}/${id}`;

/**
 * Tracker rows (auto-number first, the selected paths, then each relationship's reference) as
 * Salesforce records: ids encoded, dateTimes in Salesforce's format, relationships nested.
 */
export class RecordFormatter {
  constructor(
    private readonly object: SObjectDescription,
    private readonly version: string,
    private readonly caller: PlannerContext,
  ) {}

  records(plan: QueryPlan, response: SoqlQueryResponse): SalesforceRecord[] {
    const relIndex = new Map(response.relationships.map((r, i) => [r, 1 + plan.select.length + i]));
    return response.rows.map((row) => {
      const record: SalesforceRecord = { attributes: this.attributes(this.object, Number(row[0])) };
      plan.select.forEach((path, i) => {
        const resolved = resolvePath(this.object, path);
        if (!resolved) return;
        const value = this.value(resolved.field, resolved.relationship ? this.object.relationships[resolved.relationship].target : this.object, row[i + 1]);
        if (!resolved.relationship) {
          record[resolved.field.name] = value;
          return;
        }
        const ref = row[relIndex.get(resolved.relationship) ?? -1];
        if (ref === null || ref === undefined) {
          record[resolved.relationship] = null;
          return;
        }
        const target = this.object.relationships[resolved.relationship].target;
        const nested = (record[resolved.relationship] as SalesforceRecord | undefined) ?? { attributes: this.attributes(target, ref) };
        nested[resolved.field.name] = value;
        record[resolved.relationship] = nested;
      });
      return record;
    });
  }

  /**
   * Aggregate rows as Salesforce's AggregateResult records: one key per column, named by its alias,
   * its field name (grouped relationship fields too) or exprN; ids and dateTimes formatted as in records.
   */
  aggregateRecords(plan: QueryPlan, response: SoqlQueryResponse): Array<{ attributes: { type: 'AggregateResult' } } & Record<string, unknown>> {
    const columns = plan.aggregate?.columns ?? [];
    return response.rows.map((row) => {
      const record: { attributes: { type: 'AggregateResult' } } & Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
      columns.forEach((c, i) => {
        record[c.name] = this.aggregateValue(c.expr, row[i]);
      });
      return record;
    });
  }

  private aggregateValue(expr: PlanExpression, raw: string | number | null | undefined): unknown {
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

  private value(field: SObjectField, owner: SObjectDescription, raw: string | number | null | undefined): unknown {
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
        if (field.type === 'int' || field.type === 'currency') return Number(raw);
        return raw;
    }
  }
}
