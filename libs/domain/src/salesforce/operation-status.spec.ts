import { isOperationStatus, isTerminalStatus, OPERATION_STATUS_LABELS, OPERATION_STATUSES, SALESFORCE_OPERATION_STATUSES, TERMINAL_STATUSES } from './operation-status';

describe('operation statuses', () => {
  it('are listed in lifecycle order', () => {
    expect(OPERATION_STATUSES).toEqual(['Submitted', 'InProgress', 'Completed', 'CompletedWithFailures', 'Failure', 'Cancelled']);
  });

  it('keeps Cancelled out of the Salesforce picklist', () => {
    expect(SALESFORCE_OPERATION_STATUSES).toEqual(['Submitted', 'InProgress', 'Completed', 'CompletedWithFailures', 'Failure']);
    expect(SALESFORCE_OPERATION_STATUSES as readonly string[]).not.toContain('Cancelled');
    expect(OPERATION_STATUS_LABELS.Cancelled).toBe('Cancelled');
    expect(OPERATION_STATUS_LABELS.InProgress).toBe('In Progress');
  });

  it.each([
    ['Submitted', false],
    ['InProgress', false],
    ['Completed', true],
    ['CompletedWithFailures', true],
    ['Failure', true],
    ['Cancelled', true],
  ] as const)('%s is terminal: %s', (status, terminal) => {
    expect(isTerminalStatus(status)).toBe(terminal);
  });

  it('has terminal statuses that are all operation statuses', () => {
    expect(TERMINAL_STATUSES.every((s) => isOperationStatus(s))).toBe(true);
  });

  it.each([['In Progress'], ['inprogress'], ['DONE'], [null], [42]])('rejects %p', (value) => {
    expect(isOperationStatus(value)).toBe(false);
    expect(isTerminalStatus(value)).toBe(false);
  });
});
