import { OperationStatus } from '@asyncops/domain';
import { progressPercent, ProgressInput } from './progress';

const input = (
  status: OperationStatus,
  totalJobItems: number | null,
  successfulJobItems: number | null,
  failedJobItems: number | null,
): ProgressInput => ({ status, totalJobItems, successfulJobItems, failedJobItems });

describe('progressPercent', () => {
  it.each<[string, ProgressInput, number]>([
    ['nothing processed yet', input('InProgress', 100, 0, 0), 0],
    ['a submitted operation', input('Submitted', 100, 0, 0), 0],
    ['half processed', input('InProgress', 10, 5, 0), 50],
    ['failed items count as processed', input('InProgress', 10, 3, 2), 50],
    ['rounds down', input('InProgress', 3, 2, 0), 66],
    ['rounds down just below the end', input('InProgress', 1000, 999, 0), 99],
    ['exact where floating point would not be', input('InProgress', 100, 29, 0), 29],
    ['all items processed but not yet finished', input('InProgress', 4, 3, 1), 100],
    ['more processed than the total', input('InProgress', 4, 5, 1), 100],
    ['no total yet', input('InProgress', null, 5, 0), 0],
    ['a total of zero', input('InProgress', 0, 0, 0), 0],
    ['a negative total', input('InProgress', -5, 1, 0), 0],
    ['missing item counts', input('InProgress', 10, null, null), 0],
    ['only a failed count', input('InProgress', 10, null, 4), 40],
    ['negative counts', input('InProgress', 10, -3, 0), 0],
    ['a huge total', input('InProgress', 2 ** 40, 2 ** 39, 0), 50],
    ['a non-finite total', input('InProgress', Number.POSITIVE_INFINITY, 1, 0), 0],
    ['a completed operation with counts short of the total', input('Completed', 10, 3, 0), 100],
    ['a completed operation without counts', input('Completed', null, null, null), 100],
    ['a partly failed operation', input('CompletedWithFailures', 10, 5, 5), 100],
    ['a failed operation that processed nothing', input('Failure', 10, 0, 0), 100],
    ['a failed operation without a total', input('Failure', 0, 0, 0), 100],
  ])('%s', (_case, progressInput, expected) => {
    expect(progressPercent(progressInput)).toBe(expected);
  });

  it('is always an integer from 0 to 100', () => {
    for (let total = 1; total <= 50; total++) {
      for (let done = 0; done <= total; done++) {
        const percent = progressPercent(input('InProgress', total, done, 0));
        expect(Number.isInteger(percent)).toBe(true);
        expect(percent).toBeGreaterThanOrEqual(0);
        expect(percent).toBeLessThanOrEqual(100);
        expect(percent).toBe(Math.floor((done * 100) / total));
      }
    }
  });
});
