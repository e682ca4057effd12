import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  assertValidPlan,
  QueryPlan,
  QueryPlanError,
  SALESFORCE_OBJECTS,
  SalesforceTrackerRpc,
  SoqlQueryRequest,
  SoqlQueryResponse,
} from '@asyncops/contracts';
import { AmqpContext, answering, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { ObjectNotStoredError } from '../../operations/tracker-errors';
import { ASYNC_OPERATION_TRACKER_STORAGE } from './async-operation-tracker.storage';
import { ObjectStorage } from './object-storage';
import { SqlCompiler } from './sql-compiler';

/** Each object this service owns, by API name; another object is another entry. */
const STORAGE: Readonly<Record<string, ObjectStorage>> = { AsyncOperationTracker: ASYNC_OPERATION_TRACKER_STORAGE };

type Cell = string | number | null;

/** Executes a SOQL plan the gateway lowered, always scoped to the asking owner. */
@Controller()
@UseFilters(RethrowRpcExceptionFilter)
export class SoqlQueryController {
  @MessagePattern(SalesforceTrackerRpc.SoqlQuery)
  async query(@Payload() req: SoqlQueryRequest, @Ctx() ctx: AmqpContext): Promise<SoqlQueryResponse> {
    await answering(async () => assertValidPlan(req.plan, SALESFORCE_OBJECTS), { invalid: [QueryPlanError] });
    const plan: QueryPlan = req.plan;
    const storage = STORAGE[plan.object];
    if (!storage) throw new ObjectNotStoredError(plan.object);
    const m = ctx.manager;

    if (plan.aggregate) {
      const c = new SqlCompiler(storage);
      const kinds = c.aggregateKinds(plan);
      const compiled = c.aggregate(plan, req.ownerId);
      const raw = (await m.query(compiled.sql, compiled.values)) as Array<Record<string, unknown>>;
      const rows: Cell[][] = raw.map((r) => kinds.map((kind, i) => cell(r[`c${i}`], kind === 'number' || kind === 'decimal')));
      return { rows, relationships: [], totalSize: rows.length, snapshot: 0 };
    }

    if (plan.count) {
      const c = new SqlCompiler(storage).count(plan, req.ownerId);
      const [row] = (await m.query(c.sql, c.values)) as Array<{ n: string }>;
      return { rows: [], relationships: [], totalSize: Number(row.n), snapshot: 0 };
    }

    const compiler = new SqlCompiler(storage);
    const relationships = compiler.relationshipsOf(plan);
    const first = req.snapshot === undefined;
    const compiled = compiler.rows(plan, { ownerId: req.ownerId, pageOffset: req.pageOffset, pageSize: req.pageSize, snapshot: first ? null : (req.snapshot as number), withTotals: first });
    const raw = (await m.query(compiled.sql, compiled.values)) as Array<Record<string, unknown>>;
    const kinds = ['number', ...plan.select.map((p) => storage.columns[p].kind), ...relationships.map((r) => storage.relationships[r].kind)];
    const rows: Cell[][] = raw.map((r) => kinds.map((kind, i) => cell(r[`c${i}`], kind === 'number')));

    let totalSize: number | null = null;
    let snapshot = req.snapshot ?? 0;
    if (first) {
      // No row means nothing matched within OFFSET: the total is 0 and no later page will ask.
      const matched = raw.length ? Number(raw[0].total) : 0;
      snapshot = raw.length ? Number(raw[0].snapshot) : 0;
      totalSize = Math.max(0, Math.min(matched - plan.offset, plan.limit ?? Number.MAX_SAFE_INTEGER));
    }
    if (plan.forView && rows.length) await this.markViewed(ctx, storage, plan, req.ownerId, rows);
    return { rows, relationships, totalSize: req.withTotal ? totalSize : null, snapshot };
  }

  /** FOR VIEW: the records just read were viewed now; the answer shows the new values. */
  private async markViewed(ctx: AmqpContext, storage: ObjectStorage, plan: QueryPlan, ownerId: string, rows: Cell[][]): Promise<void> {
    const v = storage.viewedColumns;
    const numbers = rows.map((r) => r[0]);
    await ctx.manager.query(
      `UPDATE ${storage.table} SET "${v.lastViewed}" = now(), "${v.lastReferenced}" = now() WHERE "${storage.ownerColumnName}" = $1 AND "${storage.numberColumnName}" = ANY($2::bigint[])`,
      [ownerId, numbers],
    );
    // now() is the transaction's timestamp, so this is exactly the value the UPDATE wrote.
    const [row] = (await ctx.manager.query('SELECT now() AS "at"')) as Array<{ at: Date }>;
    const at = new Date(row.at).toISOString();
    plan.select.forEach((path, i) => {
      if (path === v.lastViewedField || path === v.lastReferencedField) for (const r of rows) r[i + 1] = at;
    });
  }
}

/** pg returns bigint as text; numbers go back as numbers so the gateway can encode ids. */
function cell(value: unknown, numeric: boolean): Cell {
  if (value === null || value === undefined) return null;
  if (numeric) return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return String(value);
}
