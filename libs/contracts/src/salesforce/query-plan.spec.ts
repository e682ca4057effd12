import { ASYNC_OPERATION_TRACKER } from './async-operation-tracker.object';
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

describe('assertValidPlan', () => {
  it('accepts a plan the gateway builds', () => {
    expect(() => assertValidPlan(valid, [ASYNC_OPERATION_TRACKER])).not.toThrow();
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
  ])('refuses %s', (_what, plan) => {
    expect(() => assertValidPlan(plan, [ASYNC_OPERATION_TRACKER])).toThrow(QueryPlanError);
  });
});
