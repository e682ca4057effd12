import { isSuccessStatus, nextRetryDelayMs, webhookEventsFor } from './delivery-policy';

describe('webhookEventsFor', () => {
  it('reports non-final changes as progress', () => {
    expect(webhookEventsFor('Submitted', null)).toEqual(['progress']);
    expect(webhookEventsFor('InProgress', 'Submitted')).toEqual(['progress']);
  });

  it('reports the change that ends an operation as finished, and a failure as failed first', () => {
    expect(webhookEventsFor('Completed', 'InProgress')).toEqual(['finished']);
    expect(webhookEventsFor('CompletedWithFailures', 'InProgress')).toEqual(['finished']);
    expect(webhookEventsFor('Failure', 'Submitted')).toEqual(['failed', 'finished']);
    expect(webhookEventsFor('Failure', null)).toEqual(['failed', 'finished']);
  });

  it('does not finish an operation twice', () => {
    expect(webhookEventsFor('Completed', 'Completed')).toEqual(['progress']);
  });
});

describe('nextRetryDelayMs', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 1000 };

  it('doubles from the base delay and stops at the cap', () => {
    expect([1, 2, 3, 4].map((a) => nextRetryDelayMs(a, policy))).toEqual([200, 400, 800, 1000]);
  });

  it('gives up after the last attempt', () => {
    expect(nextRetryDelayMs(5, policy)).toBeNull();
    expect(nextRetryDelayMs(6, policy)).toBeNull();
    expect(nextRetryDelayMs(1, { ...policy, maxAttempts: 1 })).toBeNull();
  });
});

describe('isSuccessStatus', () => {
  it('accepts 2xx only; redirects are not followed and count as failures', () => {
    expect([200, 202, 204, 299].every(isSuccessStatus)).toBe(true);
    expect([199, 301, 302, 400, 410, 500, 503].some(isSuccessStatus)).toBe(false);
  });
});
