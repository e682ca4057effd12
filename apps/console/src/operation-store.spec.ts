import { applyChange, byNumberDesc, OperationStore } from './operation-store';
import type { Operation, OperationChange } from './types';

let n = 0;
function op(over: Partial<Operation> = {}): Operation {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    asyncOperationNumber: String(n).padStart(8, '0'),
    correlationIdentifier: null,
    jobType: 'PlaceOrder',
    stepName: null,
    status: 'InProgress',
    submittedAt: '2026-01-01T00:00:00.000Z',
    startedAt: '2026-01-01T00:00:01.000Z',
    finishedAt: null,
    totalJobItems: 1000,
    successfulJobItems: 0,
    failedJobItems: 0,
    progress: 0,
    parentOperationId: null,
    childCount: 0,
    referenceEntityId: null,
    referenceEntityType: null,
    producer: 'order-placement',
    message: null,
    errors: null,
    result: null,
    cancelRequestedAt: null,
    updatedAt: '2026-01-01T00:00:01.000Z',
    version: 2,
    ...over,
  };
}

const change = (o: Operation, over: Partial<OperationChange>): OperationChange => ({
  operationId: o.id,
  jobType: o.jobType,
  status: o.status,
  stepName: o.stepName,
  progress: o.progress,
  totalJobItems: o.totalJobItems,
  successfulJobItems: o.successfulJobItems,
  failedJobItems: o.failedJobItems,
  version: o.version + 1,
  changedAt: '2026-01-01T00:00:05.000Z',
  ...over,
});

describe('operation store', () => {
  it('applies live changes to loaded operations and reports unknown ones', () => {
    const s = new OperationStore();
    const a = op();
    s.appendPage([a]);
    const r = s.applyChanges([change(a, { successfulJobItems: 200, progress: 20 }), { ...change(op(), {}), operationId: 'new-one' }]);
    expect(r).toEqual({ updated: 1, unknown: ['new-one'] });
    expect(s.get(a.id)?.successfulJobItems).toBe(200);
  });

  it('never lets an older change overwrite a newer record', () => {
    const a = op({ version: 9, successfulJobItems: 900 });
    expect(applyChange(a, change(a, { version: 8, successfulJobItems: 100 }))).toBe(a);
  });

  it('marks start and finish times from the changes', () => {
    const a = op({ status: 'Submitted', startedAt: null });
    const started = applyChange(a, change(a, { status: 'InProgress', changedAt: '2026-01-01T00:00:03.000Z' }));
    expect(started.startedAt).toBe('2026-01-01T00:00:03.000Z');
    const done = applyChange(started, change(started, { status: 'Completed', changedAt: '2026-01-01T00:00:09.000Z' }));
    expect(done.finishedAt).toBe('2026-01-01T00:00:09.000Z');
  });

  it('inserts a new operation in number order and keeps a change that arrived before it', () => {
    const s = new OperationStore();
    const [c, b, a] = [op(), op(), op()];
    s.appendPage([a, c]);
    s.applyChanges([change(b, { successfulJobItems: 500, version: 7 })]);
    s.insertListed({ ...b, version: 3 });
    expect([0, 1, 2].map((i) => s.at(i)?.id)).toEqual([a.id, b.id, c.id]);
    expect(s.get(b.id)?.successfulJobItems).toBe(500);
  });

  it('measures the rate from the changes and forgets it when the operation ends', () => {
    const s = new OperationStore();
    const a = op();
    s.appendPage([a]);
    s.applyChanges([change(a, { version: 3, successfulJobItems: 100, changedAt: '2026-01-01T00:00:10.000Z' })]);
    s.applyChanges([change(a, { version: 4, successfulJobItems: 300, changedAt: '2026-01-01T00:00:12.000Z' })]);
    expect(s.rate(a.id)).toBe(100);
    s.applyChanges([change(a, { version: 5, status: 'Completed', successfulJobItems: 1000 })]);
    expect(s.rate(a.id)).toBeNull();
  });

  it('notifies subscribers once per applied batch', () => {
    const s = new OperationStore();
    const a = op();
    s.appendPage([a]);
    const calls: number[] = [];
    s.subscribe(() => calls.push(s.revision));
    s.applyChanges([change(a, { version: 3 }), change(a, { version: 4 })]);
    s.applyChanges([change(a, { version: 2 })]);
    expect(calls).toHaveLength(1);
  });

  it('orders operation numbers newest first, longer numbers being newer', () => {
    const n = (asyncOperationNumber: string) => ({ asyncOperationNumber });
    expect(['AON-0000000009', 'AON-0000000010', 'AON-00000000100'].map(n).sort(byNumberDesc).map((o) => o.asyncOperationNumber)).toEqual(['AON-00000000100', 'AON-0000000010', 'AON-0000000009']);
  });
});
