import type { OperationView } from '@asyncops/contracts';
import { CANCELLED_MESSAGE } from '@asyncops/state-machine';
import { toZuoraJob } from './get-job.controller';

const view = (over: Partial<OperationView>): OperationView => ({ status: 'InProgress', message: null, errors: null, result: null, ...over }) as unknown as OperationView;

describe('a Zuora job in seed 003 words', () => {
  it('is Processing, without errors or result, until it ends', () => {
    expect(toZuoraJob(view({ status: 'InProgress' }))).toEqual({ errors: null, result: null, status: 'Processing', success: true });
  });

  it('reads a cancelled job as Failed and says it was cancelled', () => {
    expect(toZuoraJob(view({ status: 'Cancelled' }))).toMatchObject({ status: 'Failed', success: false, errors: CANCELLED_MESSAGE });
  });

  it("keeps the producer's own reasons when there are some", () => {
    expect(toZuoraJob(view({ status: 'Failure', errors: [{ message: 'Account A1 not found' }] as OperationView['errors'] }))).toMatchObject({ status: 'Failed', errors: 'Account A1 not found' });
    expect(toZuoraJob(view({ status: 'Failure' }))).toMatchObject({ errors: 'The job failed.' });
  });
});
