import { ASYNC_OPERATION_TRACKER } from './objects/async-operation-tracker.object';
import { assertValidPlan, QueryPlan, QueryPlanError } from './query-plan';

const valid: QueryPlan = {
  object: 'AsyncOperationTracker',
  select: ['Id', 'ParentOperation.Status'],
  count: false,
  where: { kind: 'and', items: [{ kind: 'compare', field: 'Status', op: '=', value: 'Failure' }, { kind: 'in', field: 'Id', negate: true, values: [1, null] }] },
  orderBy: [{ field: 'SubmittedAt', direction: 'DESC', nulls: 'LAST' }],
  limit: 10,
  offset: 0,
  forView: false,
};

const grouped: QueryPlan = {
  ...valid,
  select: [],
  orderBy: [],
  aggregate: {
    columns: [
      { name: 'Status', expr: { kind: 'field', field: 'Status' } },
      { name: 'expr0', expr: { kind: 'aggregate', fn: 'SUM', field: 'TotalJobItems' } },
    ],
    groupBy: [{ kind: 'field', field: 'Status' }],
    having: { kind: 'having', expr: { kind: 'aggregate', fn: 'COUNT', field: null }, op: '>', value: 1 },
    orderBy: [{ expr: { kind: 'aggregate', fn: 'SUM', field: 'TotalJobItems' }, direction: 'DESC', nulls: 'LAST' }],
  },
};
const withAggregate = (patch: object) => ({ ...grouped, aggregate: { ...grouped.aggregate, ...patch } });

describe('assertValidPlan', () => {
  it('accepts a plan the gateway builds', () => {
    expect(() => assertValidPlan(valid, [ASYNC_OPERATION_TRACKER])).not.toThrow();
    expect(() => assertValidPlan(grouped, [ASYNC_OPERATION_TRACKER])).not.toThrow();
  });

  it.each([
    ['an unknown object', { ...valid, object: 'Account' }],
    ['a non-canonical path', { ...valid, select: ['status'] }],
    ['an unknown field', { ...valid, select: ['Foo'] }],
    ['an unknown operator', { ...valid, where: { kind: 'compare', field: 'Status', op: '; DROP', value: 'x' } }],
    ['an object as a value', { ...valid, where: { kind: 'compare', field: 'Status', op: '=', value: { sql: 'x' } } }],
    ['an empty IN list', { ...valid, where: { kind: 'in', field: 'Status', negate: false, values: [] } }],
    ['a bad direction', { ...valid, orderBy: [{ field: 'Id', direction: 'SIDEWAYS', nulls: 'LAST' }] }],
    ['a negative limit', { ...valid, limit: -1 }],
    ['an unknown condition', { ...valid, where: { kind: 'raw', sql: '1=1' } }],
    ['no fields and no COUNT()', { ...valid, select: [] }],
    ['a semi-join on a non-id field', { ...valid, where: { kind: 'semiJoin', field: 'Status', negate: false, subField: 'Id', where: null } }],
    ['a nested semi-join', { ...valid, where: { kind: 'semiJoin', field: 'Id', negate: false, subField: 'Id', where: { kind: 'semiJoin', field: 'Id', negate: false, subField: 'Id', where: null } } }],
    ['an aggregate condition in WHERE', { ...valid, where: { kind: 'having', expr: { kind: 'aggregate', fn: 'COUNT', field: null }, op: '>', value: 1 } }],
    ['an ungrouped column', withAggregate({ groupBy: [] })],
    ['a non-groupable GROUP BY', withAggregate({ groupBy: [{ kind: 'field', field: 'SubmittedAt' }], columns: [{ name: 'x', expr: { kind: 'field', field: 'SubmittedAt' } }] })],
    ['SUM of a picklist', withAggregate({ columns: [{ name: 'x', expr: { kind: 'aggregate', fn: 'SUM', field: 'Status' } }] })],
    ['a date function on a non-date field', withAggregate({ groupBy: [{ kind: 'date', fn: 'CALENDAR_MONTH', field: 'Status' }] })],
    ['a column name that is not an identifier', withAggregate({ columns: [{ name: 'x"; DROP', expr: { kind: 'aggregate', fn: 'COUNT', field: null } }] })],
    ['an ORDER BY of an ungrouped field', withAggregate({ orderBy: [{ expr: { kind: 'field', field: 'JobType' }, direction: 'ASC', nulls: 'FIRST' }] })],
    ['an aggregate plan with select fields', { ...grouped, select: ['Id'] }],
  ])('refuses %s', (_what, plan) => {
    expect(() => assertValidPlan(plan, [ASYNC_OPERATION_TRACKER])).toThrow(QueryPlanError);
  });
});
