import { createFrameBatcher, newerVersion } from './frame-batcher';

interface Change {
  id: string;
  version: number;
}

describe('frame batcher', () => {
  function setup() {
    const frames: Array<() => void> = [];
    const flushed: Change[][] = [];
    const batcher = createFrameBatcher<Change>({ key: (c) => c.id, pick: newerVersion, flush: (items) => flushed.push(items), schedule: (run) => frames.push(run) });
    return { frames, flushed, batcher };
  }

  it('delivers hundreds of changes as one flush per frame, newest change per operation', () => {
    const { frames, flushed, batcher } = setup();
    for (let v = 1; v <= 300; v++) batcher.push({ id: `op-${v % 3}`, version: v });
    expect(frames).toHaveLength(1);
    expect(batcher.size).toBe(3);
    frames.shift()?.();
    expect(flushed).toHaveLength(1);
    expect(flushed[0].map((c) => `${c.id}@${c.version}`).sort()).toEqual(['op-0@300', 'op-1@298', 'op-2@299']);
    expect(batcher.size).toBe(0);
  });

  it('keeps the higher version when a late change arrives second', () => {
    const { frames, flushed, batcher } = setup();
    batcher.pushAll([
      { id: 'a', version: 7 },
      { id: 'a', version: 5 },
    ]);
    frames.shift()?.();
    expect(flushed[0]).toEqual([{ id: 'a', version: 7 }]);
  });

  it('schedules a new frame only after the previous one ran', () => {
    const { frames, flushed, batcher } = setup();
    batcher.push({ id: 'a', version: 1 });
    batcher.push({ id: 'b', version: 1 });
    expect(frames).toHaveLength(1);
    frames.shift()?.();
    batcher.push({ id: 'a', version: 2 });
    expect(frames).toHaveLength(1);
    frames.shift()?.();
    expect(flushed).toHaveLength(2);
    expect(flushed[1]).toEqual([{ id: 'a', version: 2 }]);
  });
});
