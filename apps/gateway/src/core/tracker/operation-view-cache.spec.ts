import type { OperationView } from '@asyncops/contracts';
import { TrackerEvents } from '@asyncops/contracts';
import { JsonLogger } from '@asyncops/platform';
import { GatewayConfig } from '../../config';
import { OperationViewCache, OperationViewStore } from './operation-view-cache';

const ID = '416fccbf-c19a-484e-a4d7-1c6fdcebf4bb';
const OTHER_ID = '0f9a2c1e-5b7d-4e3a-9c8b-1d2e3f4a5b6c';

function view(version: number, patch: Partial<OperationView> = {}): OperationView {
  return {
    id: ID,
    asyncOperationNumber: 'AON-0000000042',
    ownerId: 'shop',
    status: 'InProgress',
    version,
    progress: version,
    ...patch,
  } as OperationView;
}

describe('OperationViewStore', () => {
  let now: number;
  const store = (capacity = 100, maxAgeMs = 2000) => {
    const s = new OperationViewStore({ capacity, maxAgeMs, now: () => now });
    s.reset(true);
    return s;
  };
  beforeEach(() => {
    now = 1_000_000;
  });

  it('serves a stored view to its owner, in any letter case of the id', () => {
    const s = store();
    s.store(view(1));
    expect(s.get('shop', ID)?.version).toBe(1);
    expect(s.get('shop', ID.toUpperCase())?.version).toBe(1);
  });

  it("never serves a view to another owner: that read goes to the tracker, which answers not found", () => {
    const s = store();
    s.store(view(1));
    expect(s.get('intruder', ID)).toBeUndefined();
    // ...and the owner's entry is untouched by the attempt.
    expect(s.get('shop', ID)?.version).toBe(1);
  });

  it('never replaces a newer view by an older one', () => {
    const s = store();
    s.store(view(3));
    s.store(view(2));
    expect(s.get('shop', ID)?.version).toBe(3);
    s.store(view(4));
    expect(s.get('shop', ID)?.version).toBe(4);
  });

  it('drops a view when a newer change is heard, and ignores changes it already has', () => {
    const s = store();
    s.store(view(3));
    s.changed(ID, 3);
    expect(s.get('shop', ID)?.version).toBe(3);
    s.changed(ID, 4);
    expect(s.get('shop', ID)).toBeUndefined();
    // A read that answers the older version is not stored; one that answers the new one is.
    s.finishRead(s.beginRead(ID), view(3));
    expect(s.get('shop', ID)).toBeUndefined();
    s.finishRead(s.beginRead(ID), view(4));
    expect(s.get('shop', ID)?.version).toBe(4);
  });

  it('does not store the answer of a read that was under way when a newer change was heard', () => {
    const s = store();
    const read = s.beginRead(ID);
    s.changed(ID, 6);
    s.finishRead(read, view(5));
    expect(s.get('shop', ID)).toBeUndefined();
  });

  it('serves the view a change carries, so a woken long-poll needs no read', () => {
    const s = store();
    s.store(view(3));
    s.changed(ID, 4, view(4, { status: 'Completed' }));
    expect(s.get('shop', ID)).toEqual(view(4, { status: 'Completed' }));
    // Still only to its owner.
    expect(s.get('intruder', ID)).toBeUndefined();
  });

  it('takes a carried view only when it is the change it came with: otherwise the change just drops the view held', () => {
    const s = store();
    s.store(view(3));
    s.changed(ID, 5, view(4, { status: 'Completed' }));
    expect(s.get('shop', ID)).toBeUndefined();
    s.store(view(5));
    s.changed(ID, 6, { ...view(6), id: OTHER_ID });
    expect(s.get('shop', ID)).toBeUndefined();
    s.store(view(6));
    s.changed(ID, 7, { id: ID, version: 7 } as OperationView);
    expect(s.get('shop', ID)).toBeUndefined();
  });

  it('stores a carried view over a read under way, which cannot then replace it with an older answer', () => {
    const s = store();
    const read = s.beginRead(ID);
    s.changed(ID, 4, view(4, { status: 'Completed' }));
    s.finishRead(read, view(3));
    expect(s.get('shop', ID)?.version).toBe(4);
  });

  it('keeps no carried view of an operation it neither holds nor reads', () => {
    const s = store();
    s.changed(OTHER_ID, 2, { ...view(2), id: OTHER_ID });
    expect(s.size).toBe(0);
  });

  it('remembers changes only for operations it holds or is reading', () => {
    const s = store();
    s.changed(OTHER_ID, 1);
    expect(s.size).toBe(0);
  });

  it('serves nothing of a deleted operation, and stores nothing of it afterwards', () => {
    const s = store();
    s.store(view(2));
    const read = s.beginRead(ID);
    s.deleted(ID);
    expect(s.get('shop', ID)).toBeUndefined();
    s.finishRead(read, view(2));
    s.store(view(9));
    expect(s.get('shop', ID)).toBeUndefined();
  });

  it("drops the owner's views of operation numbers deleted through this process, and no one else's", () => {
    const s = store();
    s.store(view(1));
    s.store(view(1, { id: OTHER_ID, ownerId: 'other' }));
    s.deletedNumbers('shop', [42]);
    expect(s.get('shop', ID)).toBeUndefined();
    expect(s.get('other', OTHER_ID)?.version).toBe(1);
  });

  it('expires a view after the maximum age, counted from when its read started', () => {
    const s = store(100, 2000);
    const read = s.beginRead(ID);
    now += 500;
    s.finishRead(read, view(1));
    now += 1500;
    expect(s.get('shop', ID)?.version).toBe(1);
    now += 1;
    expect(s.get('shop', ID)).toBeUndefined();
  });

  it('evicts the least recently used view beyond its capacity', () => {
    const s = store(2);
    const a = { ...view(1), id: 'a' };
    const b = { ...view(1), id: 'b' };
    const c = { ...view(1), id: 'c' };
    s.store(a);
    s.store(b);
    expect(s.get('shop', 'a')).toBe(a);
    s.store(c);
    expect(s.get('shop', 'b')).toBeUndefined();
    expect(s.get('shop', 'a')).toBe(a);
    expect(s.get('shop', 'c')).toBe(c);
  });

  it('drops everything when the change stream restarts, and ignores reads that were under way', () => {
    const s = store();
    s.store(view(1));
    const read = s.beginRead(OTHER_ID);
    s.reset(true);
    expect(s.get('shop', ID)).toBeUndefined();
    s.finishRead(read, { ...view(1), id: OTHER_ID });
    expect(s.get('shop', OTHER_ID)).toBeUndefined();
    s.store(view(1));
    expect(s.get('shop', ID)?.version).toBe(1);
  });

  it('serves and stores nothing while the change stream is down, nor before it first started', () => {
    const s = new OperationViewStore({ capacity: 10, maxAgeMs: 2000, now: () => now });
    s.store(view(1));
    expect(s.get('shop', ID)).toBeUndefined();
    s.reset(true);
    s.store(view(1));
    s.reset(false);
    expect(s.get('shop', ID)).toBeUndefined();
    s.store(view(2));
    expect(s.get('shop', ID)).toBeUndefined();
  });

  it('asks for a background refresh past half the maximum age, unless a read is under way', () => {
    const s = store(100, 2000);
    s.store(view(1));
    now += 1000;
    expect(s.lookup('shop', ID)?.refresh).toBe(false);
    now += 1;
    expect(s.lookup('shop', ID)?.refresh).toBe(true);
    const read = s.beginRead(ID);
    expect(s.lookup('shop', ID)?.refresh).toBe(false);
    s.finishRead(read, view(1));
    expect(s.lookup('shop', ID)?.refresh).toBe(false);
  });

  it("shares a read under way only with the same owner, and with nobody once anything about the operation is heard", () => {
    const s = store();
    const read = Promise.resolve(view(1));
    s.share('shop', ID, read);
    expect(s.sharedRead('shop', ID)).toBe(read);
    expect(s.sharedRead('intruder', ID)).toBeUndefined();
    s.changed(ID, 1);
    expect(s.sharedRead('shop', ID)).toBeUndefined();
    s.share('shop', ID, read);
    s.store(view(2));
    expect(s.sharedRead('shop', ID)).toBeUndefined();
    s.share('shop', ID, read);
    s.reset(true);
    expect(s.sharedRead('shop', ID)).toBeUndefined();
  });

  it('keeps only whole views: an answer without id, owner or version is passed on but not stored', () => {
    const s = store();
    s.store({} as OperationView);
    s.store({ ...view(1), version: undefined } as unknown as OperationView);
    s.finishRead(s.beginRead(ID), { id: ID } as OperationView);
    expect(s.size).toBe(0);
  });

  it('is off with a maximum age of 0', () => {
    const s = store(10, 0);
    s.store(view(1));
    expect(s.enabled).toBe(false);
    expect(s.get('shop', ID)).toBeUndefined();
  });
});

describe('OperationViewCache (the change stream)', () => {
  const cache = () => {
    const config = Object.assign(new GatewayConfig(), { OPERATION_CACHE_MAX_AGE_MS: 2000, OPERATION_CACHE_SIZE: 100 });
    const c = new OperationViewCache({} as never, new JsonLogger('gateway', 'error', () => undefined), config);
    c.reset(true);
    c.store(view(1));
    return c;
  };

  it('drops a view on a newer change notification', () => {
    const c = cache();
    c.onMessage(TrackerEvents.OperationChanged, { operationId: ID, ownerId: 'shop', status: 'Completed', version: 2 });
    expect(c.get('shop', ID)).toBeUndefined();
  });

  it('keeps a view on a notification of a version it already has', () => {
    const c = cache();
    c.onMessage(TrackerEvents.OperationChanged, { operationId: ID, ownerId: 'shop', status: 'InProgress', version: 1 });
    expect(c.get('shop', ID)?.version).toBe(1);
  });

  it('drops a view on a deletion notice, and on a change it cannot order', () => {
    const deleted = cache();
    deleted.onMessage(TrackerEvents.OperationDeleted, { operationId: ID, ownerId: 'shop', deletedAt: new Date().toISOString() });
    expect(deleted.get('shop', ID)).toBeUndefined();
    const unordered = cache();
    unordered.onMessage(TrackerEvents.OperationChanged, { operationId: ID, ownerId: 'shop', status: 'Completed' });
    expect(unordered.get('shop', ID)).toBeUndefined();
  });
});
