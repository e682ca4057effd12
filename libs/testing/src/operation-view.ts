import type { OperationView } from '@asyncops/contracts';

/**
 * An operation view as the tracker answers it (an order placement in progress), for specs of the
 * code that reads views; a case's overrides name what it is about.
 */
export function operationViewFixture(overrides: Partial<OperationView> = {}): OperationView {
  return {
    id: '7d1f7c3e-2b4a-4f7e-9c1d-3a5b6c7d8e9f',
    asyncOperationNumber: '00000001',
    correlationIdentifier: null,
    jobType: 'PlaceOrder',
    stepName: null,
    status: 'InProgress',
    submittedAt: '2030-01-01T00:00:00.000Z',
    startedAt: '2030-01-01T00:00:01.000Z',
    finishedAt: null,
    expiresAt: null,
    totalJobItems: 10,
    successfulJobItems: 3,
    failedJobItems: 0,
    progress: 30,
    processingTimeMs: null,
    parentOperationId: null,
    childCount: 0,
    referenceEntityId: null,
    referenceEntityType: null,
    ownerId: 'shop',
    producer: 'shop',
    requestId: null,
    message: null,
    errors: null,
    result: null,
    cancelRequestedAt: null,
    lastViewedDate: null,
    lastReferencedDate: null,
    updatedAt: '2030-01-01T00:00:01.000Z',
    version: 2,
    ...overrides,
  };
}
