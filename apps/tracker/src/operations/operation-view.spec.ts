import { AsyncOperation } from './async-operation.entity';
import { changeViewOf, MAX_CHANGE_VIEW_CHARS, toOperationView } from './operation-view';

function operation(patch: Partial<AsyncOperation> = {}): AsyncOperation {
  const at = new Date('2026-12-01T10:00:00.000Z');
  return Object.assign(new AsyncOperation(), {
    id: '416fccbf-c19a-484e-a4d7-1c6fdcebf4bb',
    asyncOperationNumber: 42,
    correlationIdentifier: null,
    jobType: 'PlaceOrder',
    stepName: null,
    status: 'InProgress',
    submittedAt: at,
    startedAt: at,
    finishedAt: null,
    expiresAt: null,
    totalJobItems: 1,
    successfulJobItems: 0,
    failedJobItems: 0,
    parentOperationId: null,
    childCount: 0,
    referenceEntityId: null,
    referenceEntityType: null,
    ownerId: 'shop',
    producer: 'order-placement',
    requestId: null,
    message: null,
    errors: null,
    result: null,
    cancelRequestedAt: null,
    lastViewedDate: null,
    lastReferencedDate: null,
    updatedAt: at,
    version: 3,
    ...patch,
  });
}

describe('changeViewOf', () => {
  it('carries the whole view on a terminal change: what a woken long-poll answers with', () => {
    const done = operation({ status: 'Completed', successfulJobItems: 1, finishedAt: new Date('2026-12-01T10:00:01.000Z'), version: 4 });
    expect(changeViewOf(done)).toEqual(toOperationView(done));
  });

  it('carries nothing on a change nobody waits for, nor a view too big to send to every gateway', () => {
    expect(changeViewOf(operation())).toBeUndefined();
    const big = operation({ status: 'Completed', result: { report: 'x'.repeat(MAX_CHANGE_VIEW_CHARS) } });
    expect(changeViewOf(big)).toBeUndefined();
  });
});
