import { jobSubmitted, PRODUCER } from './producer';

describe('jobSubmitted', () => {
  const row = { id: 'order-1', owner_id: 'owner-1', operation_id: 'op-1', request_id: null, submitted_at: new Date('2026-12-01T10:00:00Z') };

  it("names the job, this producer and the row it is about, at the row's submission time", () => {
    expect(jobSubmitted(row, { jobType: 'PlaceOrder', referenceEntityType: 'Order', totalJobItems: 3 })).toEqual({
      operationId: 'op-1',
      occurredAt: '2026-12-01T10:00:00.000Z',
      ownerId: 'owner-1',
      jobType: 'PlaceOrder',
      producer: PRODUCER,
      referenceEntityId: 'order-1',
      referenceEntityType: 'Order',
      totalJobItems: 3,
    });
  });

  it('carries the request id only when the caller sent one', () => {
    expect(jobSubmitted({ ...row, request_id: 'req-9' }, { jobType: 'PlaceOrder', referenceEntityType: 'Order', totalJobItems: 1 }).requestId).toBe('req-9');
    expect(jobSubmitted(row, { jobType: 'PlaceOrder', referenceEntityType: 'Order', totalJobItems: 1 })).not.toHaveProperty('requestId');
  });
});
