import {
  ASYNC_ACTION_OPERATION_STATUSES,
  ASYNC_ACTION_STATUSES,
  ASYNC_ACTION_TYPES,
  isAsyncActionOperationStatus,
  isAsyncActionStatus,
  isAsyncActionType,
  isJobType,
  isOperationStatus,
  isOwnerType,
  isReferenceEntityType,
  isStepName,
  isZuoraJobStatus,
  JOB_TYPES,
  OPERATION_STATUSES,
  OWNER_TYPES,
  REFERENCE_ENTITY_TYPES,
  STEP_NAMES,
  ZUORA_JOB_STATUSES,
} from './index';

/* Every enumeration's guard must accept exactly its own list: values are compared verbatim, no case folding. */
describe.each([
  ['isJobType', isJobType, JOB_TYPES, 'PSTCommonSyncStep'],
  ['isStepName', isStepName, STEP_NAMES, 'Place Quote'],
  ['isOperationStatus', isOperationStatus, OPERATION_STATUSES, 'completed'],
  ['isReferenceEntityType', isReferenceEntityType, REFERENCE_ENTITY_TYPES, 'Product'],
  ['isOwnerType', isOwnerType, OWNER_TYPES, 'Queue'],
  ['isAsyncActionType', isAsyncActionType, ASYNC_ACTION_TYPES, 'vouchers.import'],
  ['isAsyncActionStatus', isAsyncActionStatus, ASYNC_ACTION_STATUSES, 'Done'],
  ['isAsyncActionOperationStatus', isAsyncActionOperationStatus, ASYNC_ACTION_OPERATION_STATUSES, 'FAILURE'],
  ['isZuoraJobStatus', isZuoraJobStatus, ZUORA_JOB_STATUSES, 'Pending'],
] as const)('%s', (_name, guard: (x: unknown) => boolean, values: readonly string[], nearMiss) => {
  it('accepts every listed value', () => {
    expect(values.filter((v) => !guard(v))).toEqual([]);
  });

  it.each([[nearMiss], [''], [null], [undefined], [0], [{}]])('rejects %p', (value) => {
    expect(guard(value)).toBe(false);
  });
});

describe('ZUORA_JOB_STATUSES', () => {
  it('are the statuses of the Zuora async-job contract', () => {
    expect(ZUORA_JOB_STATUSES).toEqual(['Processing', 'Completed', 'Failed']);
  });
});
