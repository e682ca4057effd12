import { OperationStatus } from '@asyncops/domain';
import { canTransition, checkTransition, LEGAL_TRANSITIONS, transitionPath, TransitionRefusal } from './transitions';

type Expected = 'allowed' | TransitionRefusal;

/* The full 6×6 matrix, written out so that every pair's outcome is a deliberate decision. */
const MATRIX: ReadonlyArray<readonly [OperationStatus, OperationStatus, Expected]> = [
  ['Submitted', 'Submitted', 'unchanged'],
  ['Submitted', 'InProgress', 'allowed'],
  ['Submitted', 'Completed', 'illegal'],
  ['Submitted', 'CompletedWithFailures', 'illegal'],
  ['Submitted', 'Failure', 'allowed'],
  ['Submitted', 'Cancelled', 'allowed'],

  ['InProgress', 'Submitted', 'illegal'],
  ['InProgress', 'InProgress', 'unchanged'],
  ['InProgress', 'Completed', 'allowed'],
  ['InProgress', 'CompletedWithFailures', 'allowed'],
  ['InProgress', 'Failure', 'allowed'],
  ['InProgress', 'Cancelled', 'allowed'],

  ['Completed', 'Submitted', 'terminal'],
  ['Completed', 'InProgress', 'terminal'],
  ['Completed', 'Completed', 'unchanged'],
  ['Completed', 'CompletedWithFailures', 'terminal'],
  ['Completed', 'Failure', 'terminal'],
  ['Completed', 'Cancelled', 'terminal'],

  ['CompletedWithFailures', 'Submitted', 'terminal'],
  ['CompletedWithFailures', 'InProgress', 'terminal'],
  ['CompletedWithFailures', 'Completed', 'terminal'],
  ['CompletedWithFailures', 'CompletedWithFailures', 'unchanged'],
  ['CompletedWithFailures', 'Failure', 'terminal'],
  ['CompletedWithFailures', 'Cancelled', 'terminal'],

  ['Failure', 'Submitted', 'terminal'],
  ['Failure', 'InProgress', 'terminal'],
  ['Failure', 'Completed', 'terminal'],
  ['Failure', 'CompletedWithFailures', 'terminal'],
  ['Failure', 'Failure', 'unchanged'],
  ['Failure', 'Cancelled', 'terminal'],
  ['Cancelled', 'Submitted', 'terminal'],
  ['Cancelled', 'InProgress', 'terminal'],
  ['Cancelled', 'Completed', 'terminal'],
  ['Cancelled', 'CompletedWithFailures', 'terminal'],
  ['Cancelled', 'Failure', 'terminal'],
  ['Cancelled', 'Cancelled', 'unchanged'],
];

describe('checkTransition', () => {
  it('covers all 36 pairs', () => {
    expect(new Set(MATRIX.map(([from, to]) => `${from}>${to}`)).size).toBe(36);
  });

  it.each(MATRIX)('%s → %s is %s', (from, to, expected) => {
    const check = checkTransition(from, to);
    if (expected === 'allowed') {
      expect(check).toEqual({ allowed: true });
    } else {
      expect(check).toEqual({ allowed: false, reason: expected, message: expect.any(String) });
    }
    expect(canTransition(from, to)).toBe(expected === 'allowed');
  });

  it('names both statuses in the message of a refused transition', () => {
    expect(checkTransition('Completed', 'InProgress')).toMatchObject({
      message: expect.stringMatching(/Completed.*InProgress/),
    });
    expect(checkTransition('InProgress', 'Submitted')).toMatchObject({
      message: expect.stringMatching(/InProgress.*Submitted/),
    });
  });

  it('refuses a status that is not in the enumeration', () => {
    const bogus = 'Cancelling' as OperationStatus;
    expect(checkTransition('Submitted', bogus)).toMatchObject({ allowed: false, reason: 'illegal' });
    expect(checkTransition(bogus, 'Completed')).toMatchObject({ allowed: false, reason: 'illegal' });
    expect(canTransition(bogus, bogus)).toBe(false);
  });

  it('agrees with LEGAL_TRANSITIONS', () => {
    for (const [from, to, expected] of MATRIX) {
      expect(LEGAL_TRANSITIONS[from].includes(to)).toBe(expected === 'allowed');
    }
  });

  it('exposes LEGAL_TRANSITIONS read-only', () => {
    expect(Object.isFrozen(LEGAL_TRANSITIONS)).toBe(true);
    expect(Object.isFrozen(LEGAL_TRANSITIONS.Submitted)).toBe(true);
  });
});

const PATHS: ReadonlyArray<readonly [OperationStatus, OperationStatus, OperationStatus[] | null]> = [
  ['Submitted', 'Submitted', []],
  ['Submitted', 'InProgress', ['InProgress']],
  ['Submitted', 'Completed', ['InProgress', 'Completed']],
  ['Submitted', 'CompletedWithFailures', ['InProgress', 'CompletedWithFailures']],
  ['Submitted', 'Failure', ['Failure']],
  ['Submitted', 'Cancelled', ['Cancelled']],

  ['InProgress', 'Submitted', null],
  ['InProgress', 'InProgress', []],
  ['InProgress', 'Completed', ['Completed']],
  ['InProgress', 'CompletedWithFailures', ['CompletedWithFailures']],
  ['InProgress', 'Failure', ['Failure']],
  ['InProgress', 'Cancelled', ['Cancelled']],

  ['Completed', 'Submitted', null],
  ['Completed', 'InProgress', null],
  ['Completed', 'Completed', []],
  ['Completed', 'CompletedWithFailures', null],
  ['Completed', 'Failure', null],
  ['Completed', 'Cancelled', null],

  ['CompletedWithFailures', 'Submitted', null],
  ['CompletedWithFailures', 'InProgress', null],
  ['CompletedWithFailures', 'Completed', null],
  ['CompletedWithFailures', 'CompletedWithFailures', []],
  ['CompletedWithFailures', 'Failure', null],
  ['CompletedWithFailures', 'Cancelled', null],

  ['Failure', 'Submitted', null],
  ['Failure', 'InProgress', null],
  ['Failure', 'Completed', null],
  ['Failure', 'CompletedWithFailures', null],
  ['Failure', 'Failure', []],
  ['Failure', 'Cancelled', null],
  ['Cancelled', 'Submitted', null],
  ['Cancelled', 'InProgress', null],
  ['Cancelled', 'Completed', null],
  ['Cancelled', 'CompletedWithFailures', null],
  ['Cancelled', 'Failure', null],
  ['Cancelled', 'Cancelled', []],
];

describe('transitionPath', () => {
  it('covers all 36 pairs', () => {
    expect(new Set(PATHS.map(([from, to]) => `${from}>${to}`)).size).toBe(36);
  });

  it.each(PATHS)('%s → %s is %p', (from, to, expected) => {
    expect(transitionPath(from, to)).toEqual(expected);
  });

  it('returns only legal steps', () => {
    for (const [from, to] of PATHS) {
      const path = transitionPath(from, to) ?? [];
      path.reduce((previous, next) => {
        expect(canTransition(previous, next)).toBe(true);
        return next;
      }, from);
    }
  });

  it('prefers the direct Submitted → Failure over going through InProgress', () => {
    expect(transitionPath('Submitted', 'Failure')).toEqual(['Failure']);
  });

  it('returns a fresh array the caller may change', () => {
    const first = transitionPath('Submitted', 'Completed');
    first?.push('Failure');
    expect(transitionPath('Submitted', 'Completed')).toEqual(['InProgress', 'Completed']);
  });

  it('returns null for a status that is not in the enumeration', () => {
    expect(transitionPath('Submitted', 'Cancelling' as OperationStatus)).toBeNull();
    expect(transitionPath('Cancelling' as OperationStatus, 'Cancelling' as OperationStatus)).toBeNull();
  });
});
