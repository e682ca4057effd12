import { PlanCondition, QueryPlan } from '@asyncops/contracts';
import { ASYNC_OPERATION_TRACKER_STORAGE } from './async-operation-tracker.storage';
import { SqlCompiler } from './sql-compiler';

const base: QueryPlan = { object: 'AsyncOperationTracker', select: ['Id'], count: false, where: null, orderBy: [], limit: null, offset: 0, forView: false };
const compile = (where: PlanCondition) => {
  const c = new SqlCompiler(ASYNC_OPERATION_TRACKER_STORAGE);
  return { sql: c.condition(where), values: c.rows(base, { ownerId: 'x', pageOffset: 0, pageSize: 1, snapshot: 1, withTotals: false }).values };
};
const cond = (where: PlanCondition) => new SqlCompiler(ASYNC_OPERATION_TRACKER_STORAGE).condition(where);
/** Status as Salesforce reads it: a cancelled record is a Failure. */
const status = (a: string) => `(CASE ${a}."status" WHEN 'Cancelled' THEN 'Failure' ELSE ${a}."status" END)`;

describe('SOQL plan → SQL', () => {
  it.each([
    [{ kind: 'compare', field: 'Status', op: '=', value: 'Submitted' }, `(${status('o')} = $1::text)`],
    [{ kind: 'compare', field: 'Status', op: '!=', value: 'Submitted' }, `(${status('o')} IS DISTINCT FROM $1::text)`],
    [{ kind: 'compare', field: 'TotalJobItems', op: '<', value: 3 }, '(o."total_job_items" < $1::bigint)'],
    [{ kind: 'compare', field: 'TotalJobItems', op: '<=', value: 3 }, '(o."total_job_items" <= $1::bigint)'],
    [{ kind: 'compare', field: 'SubmittedAt', op: '>', value: '2024-01-01T00:00:00.000Z' }, '(o."submitted_at" > $1::timestamptz)'],
    [{ kind: 'compare', field: 'SubmittedAt', op: '>=', value: '2024-01-01T00:00:00.000Z' }, '(o."submitted_at" >= $1::timestamptz)'],
    [{ kind: 'compare', field: 'CorrelationIdentifier', op: '=', value: 'Abc' }, '(lower(o."correlation_identifier") = lower($1::text))'],
    [{ kind: 'compare', field: 'CorrelationIdentifier', op: 'LIKE', value: 'a\\_%' }, `(o."correlation_identifier" ILIKE $1::text ESCAPE '\\')`],
    [{ kind: 'compare', field: 'FinishedAt', op: '=', value: null }, '(o."finished_at" IS NULL)'],
    [{ kind: 'compare', field: 'FinishedAt', op: '!=', value: null }, '(o."finished_at" IS NOT NULL)'],
    [{ kind: 'compare', field: 'FinishedAt', op: '<', value: null }, 'FALSE'],
    [{ kind: 'compare', field: 'ParentOperation.Status', op: '=', value: 'Failure' }, `(${status('p')} = $1::text)`],
    [{ kind: 'compare', field: 'ParentOperationId', op: '=', value: 7 }, '(p."async_operation_number" = $1::bigint)'],
    [{ kind: 'in', field: 'JobType', negate: false, values: ['A', 'B'] }, '(o."job_type" = ANY($1::text[]))'],
    [{ kind: 'in', field: 'JobType', negate: true, values: ['A'] }, '(o."job_type" IS NULL OR NOT (o."job_type" = ANY($1::text[])))'],
    [{ kind: 'in', field: 'StepName', negate: false, values: ['A', null] }, '(o."step_name" = ANY($1::text[]) OR o."step_name" IS NULL)'],
    [{ kind: 'in', field: 'StepName', negate: true, values: ['A', null] }, '(o."step_name" IS NOT NULL AND NOT (o."step_name" = ANY($1::text[])))'],
    [{ kind: 'in', field: 'Id', negate: false, values: [1, 2] }, '(o."async_operation_number" = ANY($1::bigint[]))'],
    [
      { kind: 'not', item: { kind: 'or', items: [{ kind: 'compare', field: 'Status', op: '=', value: 'A' }, { kind: 'compare', field: 'FailedJobItems', op: '>', value: 0 }] } },
      `(NOT COALESCE(((${status('o')} = $1::text) OR (o."failed_job_items" > $2::bigint)), FALSE))`,
    ],
  ] as Array<[PlanCondition, string]>)('%j → %s', (where, sql) => {
    expect(cond(where)).toBe(sql);
  });

  it('binds every value as a parameter: an injection attempt stays data', () => {
    const evil = "x' OR 1=1 --";
    const { sql, values } = compile({ kind: 'compare', field: 'CorrelationIdentifier', op: '=', value: evil });
    expect(sql).not.toContain(evil);
    expect(sql).not.toContain("'");
    expect(values).toContain(evil);
  });

  it('scopes to the owner and the snapshot, orders totally and slices the page inside LIMIT/OFFSET', () => {
    const plan: QueryPlan = { ...base, select: ['Id', 'ParentOperation.Status'], orderBy: [{ field: 'SubmittedAt', direction: 'DESC', nulls: 'LAST' }], limit: 2500, offset: 10 };
    const { sql, values } = new SqlCompiler(ASYNC_OPERATION_TRACKER_STORAGE).rows(plan, { ownerId: 'acme', pageOffset: 2000, pageSize: 2000, snapshot: 99, withTotals: false });
    expect(sql).toContain('WHERE o."owner_id" = $1::text AND o."async_operation_number" <= $2::bigint');
    expect(sql).toContain('ORDER BY o."submitted_at" DESC NULLS LAST, o."async_operation_number" ASC LIMIT $3::bigint OFFSET $4::bigint');
    expect(sql).toContain('p."async_operation_number" AS "c3"');
    expect(sql).not.toContain('OVER ()');
    // 2500 rows in all, 2000 already served: 500 left, starting at SOQL OFFSET 10 + 2000.
    expect(values).toEqual(['acme', 99, 500, 2010]);
  });

  it('answers the first page, its total and its snapshot in one statement', () => {
    const { sql, values } = new SqlCompiler(ASYNC_OPERATION_TRACKER_STORAGE).rows(base, { ownerId: 'acme', pageOffset: 0, pageSize: 2000, snapshot: null, withTotals: true });
    expect(sql).toContain('count(*) OVER () AS "total"');
    expect(sql).toContain('(SELECT coalesce(max(s."async_operation_number"), 0) FROM "tracker"."async_operation" s WHERE s."owner_id" = $1::text) AS "snapshot"');
    expect(sql).toContain('WHERE o."owner_id" = $1::text ORDER BY');
    expect(values).toEqual(['acme', 2000, 0]);
  });

  it('counts within SOQL LIMIT and OFFSET', () => {
    const { sql, values } = new SqlCompiler(ASYNC_OPERATION_TRACKER_STORAGE).count({ ...base, limit: 5, offset: 2, where: { kind: 'compare', field: 'Status', op: '=', value: 'Failure' } }, 'acme');
    expect(sql).toBe(
      `SELECT count(*)::bigint AS "n" FROM (SELECT 1 FROM "tracker"."async_operation" o LEFT JOIN "tracker"."async_operation" p ON p."id" = o."parent_operation_id" AND p."owner_id" = o."owner_id" WHERE o."owner_id" = $1::text AND (${status('o')} = $2::text) LIMIT $3::bigint OFFSET $4::bigint) t`,
    );
    expect(values).toEqual(['acme', 'Failure', 5, 2]);
  });

  it('lists the relationships whose reference ends each row', () => {
    expect(new SqlCompiler(ASYNC_OPERATION_TRACKER_STORAGE).relationshipsOf({ ...base, select: ['Owner.Name', 'Id', 'ParentOperation.Status', 'Owner.Id'] })).toEqual(['Owner', 'ParentOperation']);
  });
});
