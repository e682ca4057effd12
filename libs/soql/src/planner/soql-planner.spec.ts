import { ASYNC_OPERATION_TRACKER, SALESFORCE_OBJECTS } from '../objects/async-operation-tracker.object';
import { assertValidPlan } from '../query-plan';
import { SObjectDescription } from '../sobject-description';
import { encodeRecordId } from '../record-id';
import { dateLiteralRange } from './date-literals';
import { refusalOf } from '../../test/support';
import { planSoql, PlannerContext, unquote } from './soql-planner';

const now = new Date('2024-05-15T10:20:30.000Z'); // a Wednesday
const ctx: PlannerContext = { ownerId: 'acme', ownerRecordId: '005000000000042AAA', ownerName: 'Acme ERP', now };
const plan = (soql: string, objects: readonly SObjectDescription[] = SALESFORCE_OBJECTS) => planSoql(soql, objects, ctx).plan;
const where = (condition: string) => plan(`SELECT Id FROM AsyncOperationTracker WHERE ${condition}`).where;

const failure = (soql: string, objects: readonly SObjectDescription[] = SALESFORCE_OBJECTS) => refusalOf(soql, objects, ctx);

describe('SOQL planner', () => {
  it('plans fields, relationship fields, ORDER BY with NULLS, LIMIT and OFFSET', () => {
    expect(
      plan('SELECT id, parentoperation.status, Owner.Name FROM asyncoperationtracker ORDER BY SubmittedAt DESC, TotalJobItems ASC NULLS LAST, JobType LIMIT 10 OFFSET 5'),
    ).toEqual({
      object: 'AsyncOperationTracker',
      select: ['Id', 'ParentOperation.Status', 'Owner.Name'],
      count: false,
      where: null,
      orderBy: [
        { field: 'SubmittedAt', direction: 'DESC', nulls: 'LAST' },
        { field: 'TotalJobItems', direction: 'ASC', nulls: 'LAST' },
        { field: 'JobType', direction: 'ASC', nulls: 'FIRST' },
      ],
      limit: 10,
      offset: 5,
      forView: false,
    });
  });

  it('plans COUNT() and FOR VIEW', () => {
    expect(plan('SELECT COUNT() FROM AsyncOperationTracker')).toMatchObject({ count: true, select: [] });
    expect(plan('SELECT Id FROM AsyncOperationTracker FOR VIEW').forView).toBe(true);
  });

  it.each([
    ["Status = 'submitted'", { kind: 'compare', field: 'Status', op: '=', value: 'Submitted' }],
    ["Status != 'Failure'", { kind: 'compare', field: 'Status', op: '!=', value: 'Failure' }],
    ["Status <> 'Failure'", { kind: 'compare', field: 'Status', op: '!=', value: 'Failure' }],
    ['TotalJobItems < 5', { kind: 'compare', field: 'TotalJobItems', op: '<', value: 5 }],
    ['TotalJobItems <= 5', { kind: 'compare', field: 'TotalJobItems', op: '<=', value: 5 }],
    ['FailedJobItems > 0', { kind: 'compare', field: 'FailedJobItems', op: '>', value: 0 }],
    ['SubmittedAt >= 2024-01-01T00:00:00Z', { kind: 'compare', field: 'SubmittedAt', op: '>=', value: '2024-01-01T00:00:00.000Z' }],
    ['SubmittedAt < 2024-01-01T02:00:00+02:00', { kind: 'compare', field: 'SubmittedAt', op: '<', value: '2024-01-01T00:00:00.000Z' }],
    ["JobType IN ('PlaceOrder', 'placequote')", { kind: 'in', field: 'JobType', negate: false, values: ['PlaceOrder', 'PlaceQuote'] }],
    ["StepName NOT IN ('PlaceOrder', null)", { kind: 'in', field: 'StepName', negate: true, values: ['PlaceOrder', null] }],
    ["CorrelationIdentifier LIKE 'batch\\_%'", { kind: 'compare', field: 'CorrelationIdentifier', op: 'LIKE', value: 'batch\\_%' }],
    ['FinishedAt = null', { kind: 'compare', field: 'FinishedAt', op: '=', value: null }],
    ['ParentOperationId != null', { kind: 'compare', field: 'ParentOperationId', op: '!=', value: null }],
    ["ParentOperation.JobType = 'PlaceOrder'", { kind: 'compare', field: 'ParentOperation.JobType', op: '=', value: 'PlaceOrder' }],
    [`Id = '${encodeRecordId('0Ao', 77)}'`, { kind: 'compare', field: 'Id', op: '=', value: 77 }],
    [`ParentOperationId IN ('${encodeRecordId('0Ao', 5).slice(0, 15)}')`, { kind: 'in', field: 'ParentOperationId', negate: false, values: [5] }],
    ["OwnerId = '005000000000042AAA'", { kind: 'compare', field: 'OwnerId', op: '=', value: 'acme' }],
    ["OwnerId = '005000000000043AAA'", { kind: 'compare', field: 'OwnerId', op: '=', value: '005000000000043AAA' }],
    ["Owner.Name = 'acme erp'", { kind: 'compare', field: 'Owner.Name', op: '=', value: 'acme' }],
  ])('lowers %s', (condition, expected) => {
    expect(where(condition)).toEqual(expected);
  });

  it('keeps AND, OR, NOT and parentheses as written', () => {
    expect(where("(Status = 'Submitted' OR Status = 'InProgress') AND NOT (JobType = 'PlaceOrder' OR TotalJobItems > 3) AND FailedJobItems = 0")).toEqual({
      kind: 'and',
      items: [
        { kind: 'or', items: [{ kind: 'compare', field: 'Status', op: '=', value: 'Submitted' }, { kind: 'compare', field: 'Status', op: '=', value: 'InProgress' }] },
        { kind: 'not', item: { kind: 'or', items: [{ kind: 'compare', field: 'JobType', op: '=', value: 'PlaceOrder' }, { kind: 'compare', field: 'TotalJobItems', op: '>', value: 3 }] } },
        { kind: 'compare', field: 'FailedJobItems', op: '=', value: 0 },
      ],
    });
    expect(where("NOT Status = 'Failure' AND TotalJobItems = 1")).toEqual({
      kind: 'and',
      items: [{ kind: 'not', item: { kind: 'compare', field: 'Status', op: '=', value: 'Failure' } }, { kind: 'compare', field: 'TotalJobItems', op: '=', value: 1 }],
    });
  });

  it('refuses AND and OR mixed without parentheses, as Salesforce does', () => {
    expect(failure("SELECT Id FROM AsyncOperationTracker WHERE Status = 'A' AND Status = 'B' OR Status = 'C'").errorCode).toBe('MALFORMED_QUERY');
  });

  it('lowers date literals to UTC ranges', () => {
    const ge = (v: string) => ({ kind: 'compare', field: 'SubmittedAt', op: '>=', value: v });
    const lt = (v: string) => ({ kind: 'compare', field: 'SubmittedAt', op: '<', value: v });
    expect(where('SubmittedAt = TODAY')).toEqual({ kind: 'and', items: [ge('2024-05-15T00:00:00.000Z'), lt('2024-05-16T00:00:00.000Z')] });
    expect(where('SubmittedAt = YESTERDAY')).toEqual({ kind: 'and', items: [ge('2024-05-14T00:00:00.000Z'), lt('2024-05-15T00:00:00.000Z')] });
    expect(where('SubmittedAt > TODAY')).toEqual(ge('2024-05-16T00:00:00.000Z'));
    expect(where('SubmittedAt < TODAY')).toEqual(lt('2024-05-15T00:00:00.000Z'));
    expect(where('SubmittedAt <= TODAY')).toEqual(lt('2024-05-16T00:00:00.000Z'));
    expect(where('SubmittedAt >= LAST_N_DAYS:7')).toEqual(ge('2024-05-08T00:00:00.000Z'));
    expect(where('SubmittedAt = NEXT_N_DAYS:2')).toEqual({ kind: 'and', items: [ge('2024-05-16T00:00:00.000Z'), lt('2024-05-18T00:00:00.000Z')] });
    expect(where('SubmittedAt = THIS_MONTH')).toEqual({ kind: 'and', items: [ge('2024-05-01T00:00:00.000Z'), lt('2024-06-01T00:00:00.000Z')] });
    expect(where('SubmittedAt = LAST_MONTH')).toEqual({ kind: 'and', items: [ge('2024-04-01T00:00:00.000Z'), lt('2024-05-01T00:00:00.000Z')] });
    expect(where('SubmittedAt != TODAY')).toEqual({
      kind: 'or',
      items: [lt('2024-05-15T00:00:00.000Z'), ge('2024-05-16T00:00:00.000Z'), { kind: 'compare', field: 'SubmittedAt', op: '=', value: null }],
    });
  });

  it('knows the weekly, quarterly and yearly literals', () => {
    expect(dateLiteralRange('THIS_WEEK', now)).toEqual({ start: new Date('2024-05-12T00:00:00Z'), end: new Date('2024-05-19T00:00:00Z') });
    expect(dateLiteralRange('LAST_QUARTER', now)).toEqual({ start: new Date('2024-01-01T00:00:00Z'), end: new Date('2024-04-01T00:00:00Z') });
    expect(dateLiteralRange('NEXT_YEAR', now)).toEqual({ start: new Date('2025-01-01T00:00:00Z'), end: new Date('2026-01-01T00:00:00Z') });
    expect(dateLiteralRange('N_DAYS_AGO:3', now, 3)).toEqual({ start: new Date('2024-05-12T00:00:00Z'), end: new Date('2024-05-13T00:00:00Z') });
    expect(dateLiteralRange('THIS_FISCAL_YEAR', now)).toBeUndefined();
  });

  it('keeps an injection attempt inside a string literal as data', () => {
    expect(where("CorrelationIdentifier = 'x\\' OR 1=1 --'")).toEqual({ kind: 'compare', field: 'CorrelationIdentifier', op: '=', value: "x' OR 1=1 --" });
    // SQL-style doubled quotes are not SOQL: the query is malformed, never executed.
    expect(failure("SELECT Id FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'x'' OR 1=1 --'").errorCode).toBe('MALFORMED_QUERY');
  });

  it('resolves SOQL string escapes', () => {
    expect(unquote("'a\\nb\\\\c\\'d'")).toBe("a\nb\\c'd");
    expect(unquote("'50\\%'")).toBe('50%');
    expect(unquote("'50\\%'", true)).toBe('50\\%');
  });

  it.each([
    ['SELECT FROM AsyncOperationTracker', 'MALFORMED_QUERY', "ERROR at Row:1:Column:8\nunexpected token: 'FROM'"],
    ['SELECT Id FROM AsyncOperationTracker WHERE', 'MALFORMED_QUERY', 'unexpected'],
    ['SELECT Foo FROM AsyncOperationTracker', 'INVALID_FIELD', "ERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'AsyncOperationTracker'"],
    ['SELECT ParentOperation.Foo FROM AsyncOperationTracker', 'INVALID_FIELD', "No such column 'Foo' on entity 'AsyncOperationTracker'"],
    ['SELECT Bogus.Status FROM AsyncOperationTracker', 'INVALID_FIELD', "Didn't understand relationship 'Bogus'"],
    ['SELECT Id FROM Account', 'INVALID_TYPE', "ERROR at Row:1:Column:16\nsObject type 'Account' is not supported"],
    ['SELECT Id, Id FROM AsyncOperationTracker', 'DUPLICATE_FIELD', 'duplicate field selected: Id'],
    ['SELECT Id FROM AsyncOperationTracker WHERE TotalJobItems = \'3\'', 'INVALID_FIELD', 'must be of type double'],
    ['SELECT Id FROM AsyncOperationTracker WHERE Status = 3', 'INVALID_FIELD', 'must be of type string'],
    ['SELECT Id FROM AsyncOperationTracker WHERE SubmittedAt = 2024-01-01', 'INVALID_FIELD', 'must be of type dateTime'],
    ["SELECT Id FROM AsyncOperationTracker WHERE Id = 'abc'", 'INVALID_QUERY_FILTER_OPERATOR', 'invalid ID field: abc'],
    ['SELECT Id FROM AsyncOperationTracker WHERE TotalJobItems LIKE 3', 'INVALID_QUERY_FILTER_OPERATOR', 'invalid operator on int field: LIKE'],
    ["SELECT Id FROM AsyncOperationTracker WHERE SubmittedAt LIKE '2024%'", 'INVALID_FIELD', 'must be of type dateTime'],
    ['SELECT Id FROM AsyncOperationTracker WHERE SubmittedAt = THIS_FISCAL_YEAR', 'MALFORMED_QUERY', 'not supported'],
    ['SELECT Status, COUNT(Id) FROM AsyncOperationTracker GROUP BY SubmittedAt', 'INVALID_FIELD', "field 'SubmittedAt' can not be grouped in a query call"],
    ['SELECT Status, COUNT(Id) FROM AsyncOperationTracker GROUP BY JobType', 'MALFORMED_QUERY', 'Field must be grouped or aggregated: Status'],
    ['SELECT SUM(Status) FROM AsyncOperationTracker', 'INVALID_FIELD', 'field Status does not support aggregate operator SUM'],
    ['SELECT AVG(SubmittedAt) FROM AsyncOperationTracker', 'INVALID_FIELD', 'field SubmittedAt does not support aggregate operator AVG'],
    ['SELECT MAX(ParentOperationId) FROM AsyncOperationTracker', 'INVALID_FIELD', 'does not support aggregate operator MAX'],
    ['SELECT CALENDAR_MONTH(Status) FROM AsyncOperationTracker GROUP BY Status', 'INVALID_FIELD', 'can only be applied to a date or dateTime field'],
    ['SELECT COUNT() FROM AsyncOperationTracker GROUP BY Status', 'MALFORMED_QUERY', 'COUNT() must be the only element'],
    ['SELECT Status, COUNT(Id) FROM AsyncOperationTracker GROUP BY Status ORDER BY JobType', 'MALFORMED_QUERY', 'Ordered field must be grouped or aggregated'],
    ['SELECT Status, COUNT(Id) FROM AsyncOperationTracker GROUP BY Status HAVING JobType = \'x\'', 'MALFORMED_QUERY', 'Field must be grouped or aggregated: JobType'],
    ["SELECT Status, COUNT(Id) FROM AsyncOperationTracker GROUP BY Status HAVING COUNT(Id) > 'x'", 'INVALID_FIELD', 'must be a number'],
    ['SELECT Status s, COUNT(Id) s FROM AsyncOperationTracker GROUP BY Status', 'MALFORMED_QUERY', 'duplicate alias: s'],
    ['SELECT Status, COUNT(Id) FROM AsyncOperationTracker GROUP BY ROLLUP(Status)', 'MALFORMED_QUERY', 'not supported'],
    ['SELECT Id, COUNT(Id) FROM AsyncOperationTracker', 'MALFORMED_QUERY', 'Field must be grouped or aggregated: Id'],
    ['SELECT Status, COUNT(Id) FROM AsyncOperationTracker GROUP BY Status FOR VIEW', 'MALFORMED_QUERY', 'not allowed in an aggregate query'],
    ["SELECT Id FROM AsyncOperationTracker WHERE Id IN (SELECT Id FROM PendingOrderSummary)", 'MALFORMED_QUERY', 'not supported'],
    ["SELECT Id FROM AsyncOperationTracker WHERE Status IN (SELECT Status FROM AsyncOperationTracker)", 'INVALID_FIELD', 'a semi-join compares an Id or a reference'],
    ["SELECT Id FROM AsyncOperationTracker WHERE Id IN (SELECT Id FROM AsyncOperationTracker WHERE Id IN (SELECT Id FROM AsyncOperationTracker))", 'MALFORMED_QUERY', 'Nesting of semi join'],
    ["SELECT Id FROM AsyncOperationTracker WHERE Id IN (SELECT Id, Status FROM AsyncOperationTracker)", 'MALFORMED_QUERY', 'exactly one Id or reference field'],
    ['SELECT Id, (SELECT Id FROM Children) FROM AsyncOperationTracker', 'MALFORMED_QUERY', 'not supported'],
    ['SELECT Id FROM AsyncOperationTracker OFFSET 2001', 'NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000'],
    ['SELECT COUNT() FROM AsyncOperationTracker ORDER BY Id', 'MALFORMED_QUERY', 'ORDER BY not allowed'],
    ['', 'MALFORMED_QUERY', 'A query string has to be specified'],
  ])('refuses %s with %s', (soql, code, text) => {
    const e = failure(soql);
    expect(e.status).toBe(400);
    expect(e.errorCode).toBe(code);
    expect(e.message).toContain(text);
  });

  describe('aggregate queries', () => {
    const aggregate = (soql: string) => plan(soql).aggregate;

    it('plans aggregates with aliases and exprN names, GROUP BY on a relationship field, HAVING and ORDER BY an aggregate', () => {
      const p = plan(
        "SELECT Status, COUNT(Id), MAX(TotalJobItems) biggest, parentoperation.jobtype, COUNT_DISTINCT(JobType), AVG(TotalJobItems) FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'x' GROUP BY Status, ParentOperation.JobType HAVING COUNT(Id) > 1 AND (AVG(TotalJobItems) >= 2.5 OR Status = 'failure') ORDER BY COUNT(Id) DESC, Status LIMIT 10",
      );
      expect(p).toMatchObject({ select: [], count: false, orderBy: [], limit: 10, where: { kind: 'compare', field: 'CorrelationIdentifier', op: '=', value: 'x' } });
      expect(p.aggregate).toEqual({
        columns: [
          { name: 'Status', expr: { kind: 'field', field: 'Status' } },
          { name: 'expr0', expr: { kind: 'aggregate', fn: 'COUNT', field: 'Id' } },
          { name: 'biggest', expr: { kind: 'aggregate', fn: 'MAX', field: 'TotalJobItems' } },
          { name: 'JobType', expr: { kind: 'field', field: 'ParentOperation.JobType' } },
          { name: 'expr1', expr: { kind: 'aggregate', fn: 'COUNT_DISTINCT', field: 'JobType' } },
          { name: 'expr2', expr: { kind: 'aggregate', fn: 'AVG', field: 'TotalJobItems' } },
        ],
        groupBy: [
          { kind: 'field', field: 'Status' },
          { kind: 'field', field: 'ParentOperation.JobType' },
        ],
        having: {
          kind: 'and',
          items: [
            { kind: 'having', expr: { kind: 'aggregate', fn: 'COUNT', field: 'Id' }, op: '>', value: 1 },
            {
              kind: 'or',
              items: [
                { kind: 'having', expr: { kind: 'aggregate', fn: 'AVG', field: 'TotalJobItems' }, op: '>=', value: 2.5 },
                { kind: 'compare', field: 'Status', op: '=', value: 'Failure' },
              ],
            },
          ],
        },
        orderBy: [
          { expr: { kind: 'aggregate', fn: 'COUNT', field: 'Id' }, direction: 'DESC', nulls: 'LAST' },
          { expr: { kind: 'field', field: 'Status' }, direction: 'ASC', nulls: 'FIRST' },
        ],
      });
    });

    it('aggregates without GROUP BY, and MIN/MAX compare with the field’s own literals', () => {
      expect(aggregate('SELECT COUNT(Id) n, MIN(SubmittedAt) FROM AsyncOperationTracker')).toEqual({
        columns: [
          { name: 'n', expr: { kind: 'aggregate', fn: 'COUNT', field: 'Id' } },
          { name: 'expr0', expr: { kind: 'aggregate', fn: 'MIN', field: 'SubmittedAt' } },
        ],
        groupBy: [],
        having: null,
        orderBy: [],
      });
      expect(aggregate('SELECT JobType FROM AsyncOperationTracker GROUP BY JobType HAVING MAX(SubmittedAt) > 2024-01-01T00:00:00Z')?.having).toEqual({ kind: 'having', expr: { kind: 'aggregate', fn: 'MAX', field: 'SubmittedAt' }, op: '>', value: '2024-01-01T00:00:00.000Z' });
    });

    it('groups by date functions and names them exprN unless aliased', () => {
      expect(
        aggregate('SELECT CALENDAR_YEAR(SubmittedAt), CALENDAR_MONTH(SubmittedAt) m, COUNT(Id) FROM AsyncOperationTracker GROUP BY CALENDAR_YEAR(SubmittedAt), CALENDAR_MONTH(SubmittedAt) ORDER BY CALENDAR_MONTH(SubmittedAt) DESC'),
      ).toEqual({
        columns: [
          { name: 'expr0', expr: { kind: 'date', fn: 'CALENDAR_YEAR', field: 'SubmittedAt' } },
          { name: 'm', expr: { kind: 'date', fn: 'CALENDAR_MONTH', field: 'SubmittedAt' } },
          { name: 'expr1', expr: { kind: 'aggregate', fn: 'COUNT', field: 'Id' } },
        ],
        groupBy: [
          { kind: 'date', fn: 'CALENDAR_YEAR', field: 'SubmittedAt' },
          { kind: 'date', fn: 'CALENDAR_MONTH', field: 'SubmittedAt' },
        ],
        having: null,
        orderBy: [{ expr: { kind: 'date', fn: 'CALENDAR_MONTH', field: 'SubmittedAt' }, direction: 'DESC', nulls: 'LAST' }],
      });
      expect(aggregate('SELECT DAY_ONLY(FinishedAt) d FROM AsyncOperationTracker GROUP BY DAY_ONLY(FinishedAt) HAVING DAY_ONLY(FinishedAt) > 2024-01-31')?.having).toEqual({ kind: 'having', expr: { kind: 'date', fn: 'DAY_ONLY', field: 'FinishedAt' }, op: '>', value: '2024-01-31' });
    });

    it('plans semi-joins on the same object, with their own conditions', () => {
      expect(where("Id IN (SELECT ParentOperationId FROM AsyncOperationTracker WHERE Status = 'Failure') AND Status != 'Failure'")).toEqual({
        kind: 'and',
        items: [
          { kind: 'semiJoin', field: 'Id', negate: false, subField: 'ParentOperationId', where: { kind: 'compare', field: 'Status', op: '=', value: 'Failure' } },
          { kind: 'compare', field: 'Status', op: '!=', value: 'Failure' },
        ],
      });
      expect(where('ParentOperationId NOT IN (SELECT Id FROM AsyncOperationTracker)')).toEqual({ kind: 'semiJoin', field: 'ParentOperationId', negate: true, subField: 'Id', where: null });
    });

    it('produces plans the service-side check accepts', () => {
      const p = plan(
        "SELECT Owner.Name o, CALENDAR_MONTH(SubmittedAt), SUM(FailedJobItems) FROM AsyncOperationTracker WHERE Id IN (SELECT ParentOperationId FROM AsyncOperationTracker WHERE Status = 'Failure') GROUP BY Owner.Name, CALENDAR_MONTH(SubmittedAt) HAVING SUM(FailedJobItems) > 0 ORDER BY SUM(FailedJobItems) DESC",
      );
      expect(() => assertValidPlan(p, SALESFORCE_OBJECTS)).not.toThrow();
    });
  });

  describe('a second object plugs in as another description', () => {
    // Shaped like PendingOrderSummary: equality-only filters on its indexed fields, one unsortable field.
    const summary: SObjectDescription = {
      name: 'PendingOrderSummary',
      label: 'Pending Order Summary',
      labelPlural: 'Pending Order Summaries',
      keyPrefix: '1os',
      fields: [
        { ...ASYNC_OPERATION_TRACKER.fields[0], label: 'Id' },
        { ...ASYNC_OPERATION_TRACKER.fields[2], name: 'OrderReferenceNumber', filterOperators: ['=', 'IN'] },
        { ...ASYNC_OPERATION_TRACKER.fields[2], name: 'Notes', filterable: false, sortable: false },
      ],
      relationships: {},
      capabilities: { queryable: true, retrieveable: true, deletable: false, replicateable: false, searchable: false },
    };

    it('plans allowed filters and refuses the rest with Salesforce errors', () => {
      expect(plan("SELECT Id FROM PendingOrderSummary WHERE OrderReferenceNumber IN ('a')", [summary]).where).toEqual({
        kind: 'in',
        field: 'OrderReferenceNumber',
        negate: false,
        values: ['a'],
      });
      expect(failure("SELECT Id FROM PendingOrderSummary WHERE OrderReferenceNumber LIKE 'a%'", [summary]).errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
      const filter = failure("SELECT Id FROM PendingOrderSummary WHERE Notes = 'x'", [summary]);
      expect(filter).toMatchObject({ errorCode: 'INVALID_FIELD' });
      expect(filter.message).toContain("field 'Notes' can not be filtered in a query call");
      expect(failure('SELECT Id FROM PendingOrderSummary ORDER BY Notes', [summary]).message).toContain("field 'Notes' can not be sorted in a query call");
    });
  });
});

describe('plan cache', () => {
  it('plans a repeated query once, but never keeps a plan that read the caller or the clock', () => {
    const soql = "SELECT Id FROM AsyncOperationTracker WHERE Status = 'Failure' ORDER BY SubmittedAt";
    expect(planSoql(soql, SALESFORCE_OBJECTS, ctx)).toBe(planSoql(soql, SALESFORCE_OBJECTS, ctx));
    const dated = 'SELECT Id FROM AsyncOperationTracker WHERE SubmittedAt = TODAY';
    const later = { ...ctx, now: new Date('2024-05-16T00:00:01.000Z') };
    expect(planSoql(dated, SALESFORCE_OBJECTS, later).plan.where).not.toEqual(planSoql(dated, SALESFORCE_OBJECTS, ctx).plan.where);
    const owned = `SELECT Id FROM AsyncOperationTracker WHERE OwnerId = '${ctx.ownerRecordId}'`;
    const other = { ...ctx, ownerId: 'other', ownerRecordId: '005000000000043AAA' };
    expect(planSoql(owned, SALESFORCE_OBJECTS, ctx).plan.where).toEqual({ kind: 'compare', field: 'OwnerId', op: '=', value: 'acme' });
    expect(planSoql(owned, SALESFORCE_OBJECTS, other).plan.where).not.toEqual({ kind: 'compare', field: 'OwnerId', op: '=', value: 'acme' });
  });
});
