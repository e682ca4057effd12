import { ASYNC_OPERATION_TRACKER } from '../objects/async-operation-tracker.object';
import { asyncOperationTrackerStorage } from '../objects/async-operation-tracker.storage';
import { ORDER_SUMMARY } from '../objects/order-summary.object';
import { orderSummaryStorage } from '../objects/order-summary.storage';
import { QueryPlan, QueryPlanError } from '../query-plan';
import { RunSql, SoqlExecutor } from './soql-executor';

const executor = new SoqlExecutor([
  { description: ASYNC_OPERATION_TRACKER, storage: asyncOperationTrackerStorage('tracker') },
  { description: ORDER_SUMMARY, storage: orderSummaryStorage('"order_placement"') },
]);
const plan: QueryPlan = { object: 'AsyncOperationTracker', select: ['Id', 'SubmittedAt', 'Status'], count: false, where: null, orderBy: [], limit: 5, offset: 1, forView: false };

function recording(rows: unknown[][]): RunSql & { statements: string[] } {
  const statements: string[] = [];
  return Object.assign(async (sql: string) => {
    statements.push(sql);
    return rows;
  }, { statements });
}

describe('SoqlExecutor', () => {
  it('runs one statement for a first page and answers typed cells, the total within LIMIT and OFFSET, and the snapshot', async () => {
    const at = new Date('2024-01-02T03:04:05.000Z');
    const run = recording([['7', '7', at, 'Failure', '9', '12']]);
    const page = await executor.page(run, { ownerId: 'acme', plan, pageOffset: 0, pageSize: 2000, withTotal: true });
    expect(run.statements).toHaveLength(1);
    expect(page).toEqual({ rows: [[7, 7, '2024-01-02T03:04:05.000Z', 'Failure']], relationships: [], totalSize: 5, snapshot: 12 });
  });

  it('takes timestamps already as UTC ISO text and numbers as decimal text', async () => {
    const run = recording([['8', '8', '2024-01-02T03:04:05.006Z', 'Success', '1', '8']]);
    const page = await executor.page(run, { ownerId: 'acme', plan, pageOffset: 0, pageSize: 2000, withTotal: true });
    expect(page.rows).toEqual([[8, 8, '2024-01-02T03:04:05.006Z', 'Success']]);
  });

  it('reads COUNT() from the first cell and aggregate cells by position', async () => {
    const count = await executor.page(recording([['42']]), { ownerId: 'acme', plan: { ...plan, count: true, select: [] }, pageOffset: 0, pageSize: 2000, withTotal: true });
    expect(count.totalSize).toBe(42);
    const aggregate: QueryPlan = {
      ...plan,
      select: [],
      limit: null,
      offset: 0,
      aggregate: {
        columns: [
          { name: 'Status', expr: { kind: 'field', field: 'Status' } },
          { name: 'n', expr: { kind: 'aggregate', fn: 'COUNT', field: 'Id' } },
        ],
        groupBy: [{ kind: 'field', field: 'Status' }],
        having: null,
        orderBy: [],
      },
    } as QueryPlan;
    const groups = await executor.page(recording([['Failure', '3'], ['Success', '5']]), { ownerId: 'acme', plan: aggregate, pageOffset: 0, pageSize: 2000, withTotal: true });
    expect(groups.rows).toEqual([
      ['Failure', 3],
      ['Success', 5],
    ]);
  });

  it('refuses an invalid plan every time it is sent, and a plan for an object it does not own', async () => {
    const run = recording([]);
    const bad = { ...plan, select: ['Nope'] };
    await expect(executor.page(run, { ownerId: 'acme', plan: bad, pageOffset: 0, pageSize: 10, withTotal: false })).rejects.toThrow(QueryPlanError);
    await expect(executor.page(run, { ownerId: 'acme', plan: bad, pageOffset: 0, pageSize: 10, withTotal: false })).rejects.toThrow(QueryPlanError);
    await expect(executor.page(run, { ownerId: 'acme', plan: { ...plan, object: 'PendingOrderSummary' }, pageOffset: 0, pageSize: 10, withTotal: false })).rejects.toThrow(QueryPlanError);
    expect(run.statements).toHaveLength(0);
  });

  it('answers a later page below its snapshot without totals', async () => {
    const run = recording([]);
    const page = await executor.page(run, { ownerId: 'acme', plan: { ...plan, object: 'OrderSummary', select: ['Id'] }, pageOffset: 200, pageSize: 200, snapshot: 40, withTotal: false });
    expect(run.statements[0]).toContain('o."number" <= $2::bigint');
    expect(page).toEqual({ rows: [], relationships: [], totalSize: null, snapshot: 40 });
  });
});
