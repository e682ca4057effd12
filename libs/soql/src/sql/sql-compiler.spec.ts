import { asyncOperationTrackerStorage } from '../objects/async-operation-tracker.storage';
import { PlanCondition, QueryPlan } from '../query-plan';
import { SqlCompiler } from './sql-compiler';

const ASYNC_OPERATION_TRACKER_STORAGE = asyncOperationTrackerStorage('tracker');

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

  describe('aggregate queries', () => {
    const aggregatePlan: QueryPlan = {
      ...base,
      select: [],
      limit: 10,
      offset: 2,
      where: { kind: 'compare', field: 'JobType', op: '=', value: 'PlaceOrder' },
      aggregate: {
        columns: [
          { name: 'Status', expr: { kind: 'field', field: 'Status' } },
          { name: 'm', expr: { kind: 'date', fn: 'CALENDAR_MONTH', field: 'SubmittedAt' } },
          { name: 'expr0', expr: { kind: 'aggregate', fn: 'COUNT', field: 'Id' } },
          { name: 'expr1', expr: { kind: 'aggregate', fn: 'COUNT_DISTINCT', field: 'CorrelationIdentifier' } },
          { name: 'expr2', expr: { kind: 'aggregate', fn: 'AVG', field: 'TotalJobItems' } },
          { name: 'expr3', expr: { kind: 'aggregate', fn: 'MAX', field: 'FinishedAt' } },
          { name: 'JobType', expr: { kind: 'field', field: 'ParentOperation.JobType' } },
        ],
        groupBy: [
          { kind: 'field', field: 'Status' },
          { kind: 'date', fn: 'CALENDAR_MONTH', field: 'SubmittedAt' },
          { kind: 'field', field: 'ParentOperation.JobType' },
        ],
        having: {
          kind: 'and',
          items: [
            { kind: 'having', expr: { kind: 'aggregate', fn: 'AVG', field: 'TotalJobItems' }, op: '>=', value: 2.5 },
            { kind: 'compare', field: 'Status', op: '!=', value: 'Failure' },
          ],
        },
        orderBy: [{ expr: { kind: 'aggregate', fn: 'COUNT', field: 'Id' }, direction: 'DESC', nulls: 'LAST' }],
      },
    };

    it('groups, filters groups, sorts by an aggregate and binds every value', () => {
      const c = new SqlCompiler(ASYNC_OPERATION_TRACKER_STORAGE);
      const { sql, values } = c.aggregate(aggregatePlan, 'acme');
      const month = `EXTRACT(MONTH FROM (o."submitted_at" AT TIME ZONE 'UTC'))::int`;
      // Status reads as Salesforce sees it: a cancelled operation is a Failure there.
      const status = `(CASE o."status" WHEN 'Cancelled' THEN 'Failure' ELSE o."status" END)`;
      expect(sql).toBe(
        `SELECT ${status} AS "c0", ${month} AS "c1", count(o."async_operation_number") AS "c2", count(DISTINCT lower(o."correlation_identifier")) AS "c3", avg(o."total_job_items") AS "c4", max(o."finished_at") AS "c5", p."job_type" AS "c6" ` +
          `FROM "tracker"."async_operation" o LEFT JOIN "tracker"."async_operation" p ON p."id" = o."parent_operation_id" AND p."owner_id" = o."owner_id" ` +
          `WHERE o."owner_id" = $1::text AND (o."job_type" = $2::text) ` +
          `GROUP BY ${status}, ${month}, p."job_type" ` +
          `HAVING ((avg(o."total_job_items") >= $3::numeric) AND (${status} IS DISTINCT FROM $4::text)) ` +
          `ORDER BY count(o."async_operation_number") DESC NULLS LAST, ${status} ASC, ${month} ASC, p."job_type" ASC LIMIT $5::bigint OFFSET $6::bigint`,
      );
      expect(values).toEqual(['acme', 'PlaceOrder', 2.5, 'Failure', 10, 2]);
      expect(c.aggregateKinds(aggregatePlan)).toEqual(['text', 'number', 'number', 'number', 'decimal', 'timestamp', 'text']);
    });

    it('reads one row more than a batch when no LIMIT is given, so an oversized result is noticed', () => {
      const { values } = new SqlCompiler(ASYNC_OPERATION_TRACKER_STORAGE).aggregate({ ...aggregatePlan, limit: null, offset: 0 }, 'acme');
      expect(values.slice(-2)).toEqual([2001, 0]);
    });

    it.each([
      ['DAY_ONLY', `to_char((o."finished_at" AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`],
      ['DAY_IN_WEEK', `(EXTRACT(DOW FROM (o."finished_at" AT TIME ZONE 'UTC'))::int + 1)`],
      ['CALENDAR_YEAR', `EXTRACT(YEAR FROM (o."finished_at" AT TIME ZONE 'UTC'))::int`],
      ['DAY_IN_MONTH', `EXTRACT(DAY FROM (o."finished_at" AT TIME ZONE 'UTC'))::int`],
    ] as const)('%s in UTC', (fn, sql) => {
      const plan: QueryPlan = { ...base, select: [], aggregate: { columns: [{ name: 'd', expr: { kind: 'date', fn, field: 'FinishedAt' } }], groupBy: [{ kind: 'date', fn, field: 'FinishedAt' }], having: null, orderBy: [] } };
      expect(new SqlCompiler(ASYNC_OPERATION_TRACKER_STORAGE).aggregate(plan, 'x').sql).toContain(`SELECT ${sql} AS "c0"`);
    });
  });

  it('compiles semi-joins on the same owner with shadowing aliases, and anti-joins that keep nulls', () => {
    const c = new SqlCompiler(ASYNC_OPERATION_TRACKER_STORAGE);
    const status = `(CASE o."status" WHEN 'Cancelled' THEN 'Failure' ELSE o."status" END)`;
    const { sql, values } = c.rows(
      { ...base, where: { kind: 'semiJoin', field: 'Id', negate: false, subField: 'ParentOperationId', where: { kind: 'compare', field: 'Status', op: '=', value: 'Failure' } } },
      { ownerId: 'acme', pageOffset: 0, pageSize: 10, snapshot: null, withTotals: false },
    );
    expect(sql).toContain(
      `(o."async_operation_number" IN (SELECT p."async_operation_number" FROM "tracker"."async_operation" o LEFT JOIN "tracker"."async_operation" p ON p."id" = o."parent_operation_id" AND p."owner_id" = o."owner_id" WHERE o."owner_id" = $1::text AND p."async_operation_number" IS NOT NULL AND (${status} = $2::text)))`,
    );
    expect(values.slice(0, 2)).toEqual(['acme', 'Failure']);
    const anti = new SqlCompiler(ASYNC_OPERATION_TRACKER_STORAGE).count({ ...base, where: { kind: 'semiJoin', field: 'ParentOperationId', negate: true, subField: 'Id', where: null } }, 'acme');
    expect(anti.sql).toContain('(p."async_operation_number" IS NULL OR NOT (p."async_operation_number" IN (SELECT o."async_operation_number" FROM');
  });
});
