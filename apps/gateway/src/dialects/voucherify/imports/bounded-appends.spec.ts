import { BoundedAppends } from './bounded-appends';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('BoundedAppends', () => {
  it('keeps at most `limit` appends in flight and waits for all on drain', async () => {
    const appends = new BoundedAppends(2);
    const gates = [deferred(), deferred(), deferred()];
    let started = 0;
    await appends.add(() => (started++, gates[0].promise));
    const second = appends.add(() => (started++, gates[1].promise));
    let secondReturned = false;
    void second.then(() => (secondReturned = true));
    await Promise.resolve();
    expect(started).toBe(2);
    expect(secondReturned).toBe(false);
    gates[0].resolve();
    await second;
    // The window is full again: the third add returns once the second append is done.
    const third = appends.add(() => (started++, gates[2].promise));
    gates[1].resolve();
    await third;
    let drained = false;
    const drain = appends.drain().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    gates[2].resolve();
    await drain;
    expect(started).toBe(3);
  });

  it('rethrows the first failure only after every append settled', async () => {
    const appends = new BoundedAppends(3);
    const slow = deferred();
    let slowDone = false;
    await appends.add(() => slow.promise.then(() => (slowDone = true)));
    await appends.add(() => Promise.reject(new Error('broker gone')));
    const drain = appends.drain();
    slow.resolve();
    await expect(drain).rejects.toThrow('broker gone');
    expect(slowDone).toBe(true);
    await expect(appends.add(() => Promise.resolve())).rejects.toThrow('broker gone');
  });
});
