import { SALES_TRANSACTION_JOB_TYPES } from '@asyncops/contracts';
import { PRODUCER } from '../producer';
import { salesTransactionSubmitted } from './sales-transactions.service';

describe('salesTransactionSubmitted', () => {
  const header = {
    id: 'header-1',
    owner_id: 'owner-1',
    operation_id: 'op-parent',
    price_operation_id: 'op-price',
    tax_operation_id: 'op-tax',
    line_count: 12,
    request_id: null,
    created_at: new Date('2026-12-01T10:00:00Z'),
  };

  it('announces the place action with its price and tax children, each counting the lines', () => {
    const jobs = SALES_TRANSACTION_JOB_TYPES.Quote;
    const { operation, children } = salesTransactionSubmitted('Quote', header);
    const common = { occurredAt: '2026-12-01T10:00:00.000Z', ownerId: 'owner-1', producer: PRODUCER, referenceEntityId: 'header-1', referenceEntityType: 'Quote' };
    expect(operation).toEqual({ ...common, operationId: 'op-parent', jobType: jobs.parent });
    expect(children).toEqual([
      { ...common, operationId: 'op-price', jobType: jobs.price, parentOperationId: 'op-parent', totalJobItems: 12 },
      { ...common, operationId: 'op-tax', jobType: jobs.tax, parentOperationId: 'op-parent', totalJobItems: 12 },
    ]);
  });

  it("gives every job of the action the caller's request id when there is one", () => {
    const { operation, children } = salesTransactionSubmitted('Order', { ...header, request_id: 'req-3' });
    expect([operation, ...(children ?? [])].map((j) => j.requestId)).toEqual(['req-3', 'req-3', 'req-3']);
    expect(operation.jobType).toBe(SALES_TRANSACTION_JOB_TYPES.Order.parent);
  });
});
