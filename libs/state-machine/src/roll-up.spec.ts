import { OperationStatus } from '@asyncops/domain';
import { rollUp, RollUpChild } from './roll-up';

const child = (
  status: OperationStatus,
  total: number | null = 0,
  succeeded: number | null = 0,
  failed: number | null = 0,
): RollUpChild => ({
  status,
  totalJobItems: total,
  successfulJobItems: succeeded,
  failedJobItems: failed,
});

const statusOf = (...statuses: OperationStatus[]): OperationStatus | undefined =>
  rollUp(statuses.map((s) => child(s)))?.status;

describe('rollUp', () => {
  it('returns null when there are no children', () => {
    expect(rollUp([])).toBeNull();
  });

  describe('status', () => {
    it.each<[string, OperationStatus[], OperationStatus]>([
      ['one submitted child', ['Submitted'], 'Submitted'],
      ['all children submitted', ['Submitted', 'Submitted', 'Submitted'], 'Submitted'],
      ['one child in progress', ['InProgress'], 'InProgress'],
      ['some children in progress', ['Submitted', 'InProgress', 'Submitted'], 'InProgress'],
      ['in progress and terminal children', ['InProgress', 'Completed'], 'InProgress'],
      ['submitted and completed children', ['Submitted', 'Completed'], 'InProgress'],
      ['submitted and failed children', ['Submitted', 'Failure'], 'InProgress'],
      ['submitted and partly failed children', ['Submitted', 'CompletedWithFailures'], 'InProgress'],
      ['one completed child', ['Completed'], 'Completed'],
      ['all children completed', ['Completed', 'Completed', 'Completed'], 'Completed'],
      ['one failed child', ['Failure'], 'Failure'],
      ['all children failed', ['Failure', 'Failure'], 'Failure'],
      ['completed and failed children', ['Completed', 'Failure'], 'CompletedWithFailures'],
      ['failed and completed children', ['Failure', 'Completed', 'Failure'], 'CompletedWithFailures'],
      ['one partly failed child', ['CompletedWithFailures'], 'CompletedWithFailures'],
      ['completed and partly failed children', ['Completed', 'CompletedWithFailures'], 'CompletedWithFailures'],
      ['failed and partly failed children', ['Failure', 'CompletedWithFailures'], 'CompletedWithFailures'],
      ['all children partly failed', ['CompletedWithFailures', 'CompletedWithFailures'], 'CompletedWithFailures'],
      ['one cancelled child', ['Cancelled'], 'Cancelled'],
      ['all children cancelled', ['Cancelled', 'Cancelled'], 'Cancelled'],
      ['submitted and cancelled children', ['Submitted', 'Cancelled'], 'InProgress'],
      ['in progress and cancelled children', ['InProgress', 'Cancelled'], 'InProgress'],
      ['failed and cancelled children', ['Cancelled', 'Failure'], 'Failure'],
      ['completed and cancelled children', ['Completed', 'Cancelled'], 'CompletedWithFailures'],
      ['partly failed and cancelled children', ['CompletedWithFailures', 'Cancelled'], 'CompletedWithFailures'],
      ['completed, failed and cancelled children', ['Cancelled', 'Failure', 'Completed'], 'CompletedWithFailures'],
    ])('%s → %s', (_case, statuses, expected) => {
      expect(statusOf(...statuses)).toBe(expected);
    });

    it('does not depend on the order of the children', () => {
      expect(statusOf('Completed', 'Failure', 'InProgress')).toBe(statusOf('InProgress', 'Failure', 'Completed'));
      expect(statusOf('Failure', 'Completed')).toBe(statusOf('Completed', 'Failure'));
    });
  });

  describe('counts', () => {
    it('sums every count over the children', () => {
      const children = [
        child('Completed', 10, 10, 0),
        child('CompletedWithFailures', 5, 3, 2),
        child('InProgress', 7, 1, 1),
      ];
      expect(rollUp(children)).toEqual({
        status: 'InProgress',
        totalJobItems: 22,
        successfulJobItems: 14,
        failedJobItems: 3,
      });
    });

    it('counts a missing count as 0', () => {
      expect(rollUp([child('Submitted', null, null, null), child('InProgress', 4, null, 1)])).toEqual({
        status: 'InProgress',
        totalJobItems: 4,
        successfulJobItems: 0,
        failedJobItems: 1,
      });
    });

    it('reports zeros, not nulls, when no child has counted anything', () => {
      expect(rollUp([child('Failure', null, null, null)])).toEqual({
        status: 'Failure',
        totalJobItems: 0,
        successfulJobItems: 0,
        failedJobItems: 0,
      });
    });
  });

  it('does not modify the children', () => {
    const children = Object.freeze([Object.freeze(child('Completed', 1, 1, 0))]);
    expect(() => rollUp(children)).not.toThrow();
  });
});
