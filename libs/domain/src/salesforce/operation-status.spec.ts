import { isOperationStatus, isTerminalStatus, OPERATION_STATUSES, TERMINAL_STATUSES } from './operation-status';

describe('operation statuses', () => {
  it('are listed in lifecycle order', () => {
    expect(OPERATION_STATUSES).toEqual(['Submitted', 'InProgress', 'Completed', 'CompletedWithFailures', 'Failure']);
  });

  it.each([
    ['Submitted', false],
    ['InProgress', false],
    ['Completed', true],
    ['CompletedWithFailures', true],
    ['Failure', true],
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
