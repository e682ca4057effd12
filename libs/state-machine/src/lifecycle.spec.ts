import { isTerminalStatus, OPERATION_STATUSES, OperationStatus } from '@asyncops/domain';
import { applyEvent, applyRollUp, LifecycleEvent, LifecycleState, transitionTo } from './lifecycle';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const iso = (ms: number) => at(ms).toISOString();

/** An operation in `status` as the tracker would hold it: started and finished when the status implies it. */
function state(status: OperationStatus, over: Partial<LifecycleState> = {}): LifecycleState {
  const started = status !== 'Submitted';
  return {
    status,
    startedAt: started ? at(1000) : null,
    finishedAt: isTerminalStatus(status) ? at(5000) : null,
    stepName: started ? 'PlaceOrderPriceAsync' : null,
    stepChangedAt: started ? at(1000) : null,
    totalJobItems: 10,
    successfulJobItems: 3,
    failedJobItems: 1,
    countsFinal: false,
    message: null,
    errors: null,
    result: null,
    ...over,
  };
}

const TERMINAL = OPERATION_STATUSES.filter((s) => isTerminalStatus(s));
const FINISH_STATUSES: OperationStatus[] = ['Completed', 'CompletedWithFailures', 'Failure', 'Cancelled'];

describe('applyEvent', () => {
  describe('started', () => {
    const event: LifecycleEvent = { kind: 'started', occurredAt: iso(2000), stepName: 'PlaceOrderTaxAsync', totalJobItems: 7 };

    it('moves a Submitted operation to InProgress with its start, step and total', () => {
      expect(applyEvent(state('Submitted'), event)).toEqual({
        patch: { status: 'InProgress', startedAt: at(2000), stepName: 'PlaceOrderTaxAsync', stepChangedAt: at(2000), totalJobItems: 7 },
        rejection: null,
      });
    });

    it.each(OPERATION_STATUSES.filter((s) => s !== 'Submitted'))('is stale for a %s operation', (status) => {
      expect(applyEvent(state(status), event)).toEqual({ patch: null, rejection: { from: status, to: 'InProgress', reason: 'stale started event' } });
    });

    it('keeps the current step when the start reports none', () => {
      const { patch } = applyEvent(state('Submitted'), { kind: 'started', occurredAt: iso(2000) });
      expect(patch).toEqual({ status: 'InProgress', startedAt: at(2000) });
    });
  });

  describe('step-changed', () => {
    const event: LifecycleEvent = { kind: 'step-changed', occurredAt: iso(3000), stepName: 'PlaceOrderTaxAsync' };

    it('starts a Submitted operation at the step', () => {
      expect(applyEvent(state('Submitted'), event)).toEqual({
        patch: { stepName: 'PlaceOrderTaxAsync', stepChangedAt: at(3000), status: 'InProgress', startedAt: at(3000) },
        rejection: null,
      });
    });

    it('sets the step of an InProgress operation', () => {
      expect(applyEvent(state('InProgress'), event)).toEqual({ patch: { stepName: 'PlaceOrderTaxAsync', stepChangedAt: at(3000) }, rejection: null });
    });

    it('rejects a step older than the current one', () => {
      expect(applyEvent(state('InProgress'), { ...event, occurredAt: iso(500) })).toEqual({
        patch: null,
        rejection: { from: 'InProgress', to: 'InProgress', reason: 'stale step change' },
      });
    });

    it('accepts a step reported at the same instant as the current one', () => {
      expect(applyEvent(state('InProgress'), { ...event, occurredAt: iso(1000) }).patch).toEqual({ stepName: 'PlaceOrderTaxAsync', stepChangedAt: at(1000) });
    });

    it.each(TERMINAL)('is rejected once the operation is %s', (status) => {
      expect(applyEvent(state(status), event)).toEqual({
        patch: null,
        rejection: { from: status, to: status, reason: 'step change after the operation finished' },
      });
    });
  });

  describe('items-progressed', () => {
    const event = (ms: number, over: Partial<Extract<LifecycleEvent, { kind: 'items-progressed' }>> = {}): LifecycleEvent => ({
      kind: 'items-progressed',
      occurredAt: iso(ms),
      succeeded: 2,
      failed: 1,
      ...over,
    });

    it('starts a Submitted operation and adds the deltas', () => {
      expect(applyEvent(state('Submitted'), event(2000))).toEqual({
        patch: { status: 'InProgress', startedAt: at(2000), successfulJobItems: 5, failedJobItems: 2 },
        rejection: null,
      });
    });

    it('adds the deltas, the total and the step to an InProgress operation', () => {
      expect(applyEvent(state('InProgress'), event(2000, { totalJobItems: 12, stepName: 'PlaceOrderTaxAsync' })).patch).toEqual({
        successfulJobItems: 5,
        failedJobItems: 2,
        totalJobItems: 12,
        stepName: 'PlaceOrderTaxAsync',
        stepChangedAt: at(2000),
      });
    });

    it('counts the deltas of a late report but keeps the newer step', () => {
      expect(applyEvent(state('InProgress'), event(500, { stepName: 'PlaceOrderPriceAsync' })).patch).toEqual({ successfulJobItems: 5, failedJobItems: 2 });
    });

    it('counts at least as many failures as it lists', () => {
      expect(applyEvent(state('InProgress'), event(2000, { failed: 0, failures: [{}, {}, {}] })).patch).toMatchObject({ failedJobItems: 4 });
      expect(applyEvent(state('InProgress'), event(2000, { failed: 5, failures: [{}] })).patch).toMatchObject({ failedJobItems: 6 });
    });

    it.each(TERMINAL)('still counts on a %s operation when made before the finish that stated no final counts', (status) => {
      expect(applyEvent(state(status), event(4000, { stepName: 'PlaceOrderTaxAsync' }))).toEqual({
        patch: { successfulJobItems: 5, failedJobItems: 2 },
        rejection: null,
      });
    });

    it.each(TERMINAL)('is rejected on a %s operation when made after the finish', (status) => {
      expect(applyEvent(state(status), event(6000))).toEqual({
        patch: null,
        rejection: { from: status, to: status, reason: 'progress after the operation finished; its counts are final' },
      });
    });

    it.each(TERMINAL)('is rejected on a %s operation whose finish stated final counts', (status) => {
      expect(applyEvent(state(status, { countsFinal: true }), event(4000)).rejection).toMatchObject({ reason: 'progress after the operation finished; its counts are final' });
    });

    it.each(TERMINAL)('is rejected on a %s operation with no recorded finish time', (status) => {
      expect(applyEvent(state(status, { finishedAt: null }), event(4000)).patch).toBeNull();
    });
  });

  describe('finished', () => {
    const finish = (status: OperationStatus, over: Partial<Extract<LifecycleEvent, { kind: 'finished' }>> = {}): LifecycleEvent => ({
      kind: 'finished',
      occurredAt: iso(9000),
      status,
      ...over,
    });

    it.each(FINISH_STATUSES)('ends an InProgress operation in %s', (status) => {
      expect(applyEvent(state('InProgress'), finish(status))).toEqual({ patch: { status, finishedAt: at(9000), countsFinal: false }, rejection: null });
    });

    it.each(['Completed', 'CompletedWithFailures'] as OperationStatus[])('walks a Submitted operation through InProgress to %s', (status) => {
      expect(applyEvent(state('Submitted'), finish(status))).toEqual({
        patch: { status, startedAt: at(9000), finishedAt: at(9000), countsFinal: false },
        rejection: null,
      });
    });

    it.each(['Failure', 'Cancelled'] as OperationStatus[])('ends a Submitted operation in %s directly, with the start it names', (status) => {
      expect(applyEvent(state('Submitted'), finish(status, { startedAt: iso(100) }))).toEqual({
        patch: { status, startedAt: at(100), finishedAt: at(9000), countsFinal: false },
        rejection: null,
      });
    });

    it('records message, errors, result and final counts', () => {
      const errors = [{ message: 'x', key: 'k' }];
      const { patch } = applyEvent(
        state('InProgress'),
        finish('CompletedWithFailures', { message: 'done', errors, result: { id: 1 }, totalJobItems: 9, successfulJobItems: 7, failedJobItems: 2 }),
      );
      expect(patch).toEqual({
        status: 'CompletedWithFailures',
        finishedAt: at(9000),
        message: 'done',
        errors,
        result: { id: 1 },
        totalJobItems: 9,
        successfulJobItems: 7,
        failedJobItems: 2,
        countsFinal: true,
      });
      expect(patch?.errors?.[0]).not.toBe(errors[0]);
    });

    it('makes the counts final when only one of them is stated', () => {
      expect(applyEvent(state('InProgress'), finish('Completed', { failedJobItems: 0 })).patch?.countsFinal).toBe(true);
    });

    it.each(TERMINAL)('changes nothing when repeated on a %s operation with the same status', (status) => {
      expect(applyEvent(state(status), finish(status))).toEqual({ patch: null, rejection: null });
    });

    const contradictions = TERMINAL.flatMap((from) => FINISH_STATUSES.filter((to) => to !== from).map((to) => [from, to] as const));
    it.each(contradictions)('is rejected on a %s operation asking for %s', (from, to) => {
      expect(applyEvent(state(from), finish(to))).toEqual({
        patch: null,
        rejection: { from, to, reason: `${from} is a terminal status and cannot change to ${to}` },
      });
    });

    it('cannot send an InProgress operation back to Submitted', () => {
      expect(applyEvent(state('InProgress'), finish('Submitted'))).toEqual({
        patch: null,
        rejection: { from: 'InProgress', to: 'Submitted', reason: 'InProgress cannot change to Submitted' },
      });
    });

    it('changes nothing on a Submitted operation asked to stay Submitted', () => {
      expect(applyEvent(state('Submitted'), finish('Submitted'))).toEqual({ patch: null, rejection: null });
    });
  });

  describe('dead-lettered', () => {
    const event: LifecycleEvent = { kind: 'dead-lettered', occurredAt: at(7000), reason: 'poison' };

    it.each(['Submitted', 'InProgress'] as OperationStatus[])('fails a %s operation with the reason', (status) => {
      const outcome = applyEvent(state(status, { errors: [{ message: 'earlier' }] }), event);
      expect(outcome.rejection).toBeNull();
      expect(outcome.patch).toMatchObject({
        status: 'Failure',
        finishedAt: at(7000),
        message: 'poison',
        errors: [{ message: 'earlier' }, { message: 'poison', key: 'message_dead_lettered' }],
      });
    });

    it('changes nothing on an operation that already failed', () => {
      expect(applyEvent(state('Failure'), event)).toEqual({ patch: null, rejection: null });
    });

    it.each(TERMINAL.filter((s) => s !== 'Failure'))('is rejected on a %s operation', (status) => {
      expect(applyEvent(state(status), event).rejection).toMatchObject({ from: status, to: 'Failure' });
    });
  });

  it('never changes the state it is given', () => {
    const s = state('Submitted');
    const copy = structuredClone(s);
    applyEvent(s, { kind: 'finished', occurredAt: iso(9000), status: 'Completed', successfulJobItems: 9 });
    applyEvent(s, { kind: 'items-progressed', occurredAt: iso(9000), succeeded: 1, failed: 0 });
    expect(s).toEqual(copy);
  });

  it('replays an out-of-order stream to the same end as the ordered one', () => {
    const fold = (events: LifecycleEvent[]) =>
      events.reduce((s, e) => {
        const { patch } = applyEvent(s, e);
        return patch ? { ...s, ...patch } : s;
      }, state('Submitted', { successfulJobItems: 0, failedJobItems: 0 }));
    const started: LifecycleEvent = { kind: 'started', occurredAt: iso(1000) };
    const p1: LifecycleEvent = { kind: 'items-progressed', occurredAt: iso(2000), succeeded: 4, failed: 0 };
    const p2: LifecycleEvent = { kind: 'items-progressed', occurredAt: iso(3000), succeeded: 5, failed: 1 };
    const done: LifecycleEvent = { kind: 'finished', occurredAt: iso(4000), status: 'CompletedWithFailures' };
    const ordered = fold([started, p1, p2, done]);
    const shuffled = fold([p2, done, p1, started]);
    expect(ordered).toMatchObject({ status: 'CompletedWithFailures', successfulJobItems: 9, failedJobItems: 1, finishedAt: at(4000) });
    expect(shuffled).toMatchObject({ status: 'CompletedWithFailures', successfulJobItems: 9, failedJobItems: 1, finishedAt: at(4000) });
  });
});

describe('transitionTo', () => {
  it('walks the legal path and stamps the times it implies', () => {
    expect(transitionTo(state('Submitted'), 'Completed', at(50))).toEqual({ patch: { status: 'Completed', startedAt: at(50), finishedAt: at(50) }, rejection: null });
  });

  it('changes nothing when already there and refuses to leave a terminal status', () => {
    expect(transitionTo(state('InProgress'), 'InProgress', at(50))).toEqual({ patch: null, rejection: null });
    expect(transitionTo(state('Completed'), 'InProgress', at(50)).rejection).toMatchObject({ from: 'Completed', to: 'InProgress' });
  });
});

describe('applyRollUp', () => {
  const parent = (over: Partial<LifecycleState & { childCount: number }> = {}) => ({ ...state('Submitted', { totalJobItems: null, successfulJobItems: 0, failedJobItems: 0 }), childCount: 0, ...over });
  const group = (status: OperationStatus, count: number, ok = 0, failed = 0, total: number | null = null) => ({ status, count, totalJobItems: total, successfulJobItems: ok, failedJobItems: failed });

  it('changes nothing without children', () => {
    expect(applyRollUp(parent(), [], at(1))).toEqual({ patch: null, rejection: null });
  });

  it('follows started children with counts and child count', () => {
    expect(applyRollUp(parent(), [group('InProgress', 1, 2, 0, 5), group('Submitted', 1)], at(1))).toEqual({
      patch: { childCount: 2, totalJobItems: 5, successfulJobItems: 2, failedJobItems: 0, status: 'InProgress', startedAt: at(1) },
      rejection: null,
    });
  });

  it('finishes with the children', () => {
    const p = parent({ status: 'InProgress', startedAt: at(0), childCount: 2, totalJobItems: 0 });
    expect(applyRollUp(p, [group('Completed', 1), group('Failure', 1)], at(2)).patch).toEqual({ status: 'CompletedWithFailures', finishedAt: at(2) });
  });

  it('keeps a finished parent finished and says why', () => {
    const p = parent({ status: 'Completed', childCount: 1, totalJobItems: 0 });
    expect(applyRollUp(p, [group('InProgress', 1)], at(2))).toEqual({
      patch: null,
      rejection: { from: 'Completed', to: 'InProgress', reason: 'Completed is a terminal status and cannot change to InProgress' },
    });
  });

  it('changes nothing when the parent already matches', () => {
    const p = parent({ status: 'InProgress', childCount: 1, totalJobItems: 3, successfulJobItems: 1 });
    expect(applyRollUp(p, [group('InProgress', 1, 1, 0, 3)], at(2))).toEqual({ patch: null, rejection: null });
  });
});
