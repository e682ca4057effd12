import { planLeases, targetPartitions } from './assignment';

describe('targetPartitions', () => {
  it('gives a lone member every partition', () => {
    expect(targetPartitions(['a'], 'a', 4)).toEqual([0, 1, 2, 3]);
  });

  it('counts the asking member as live even before its heartbeat is seen', () => {
    expect(targetPartitions(['b'], 'a', 4)).toEqual([0, 2]);
    expect(targetPartitions(['b'], 'b', 4)).toEqual([0, 1, 2, 3]);
  });

  it('splits partitions into disjoint shares covering all of them, whatever order members are listed in', () => {
    const members = ['m3', 'm1', 'm2'];
    const shares = members.map((m) => targetPartitions([...members].reverse(), m, 16));
    const all = shares.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 16 }, (_, p) => p));
    expect(new Set(all).size).toBe(16);
    for (const s of shares) expect(s.length === 5 || s.length === 6).toBe(true);
    expect(targetPartitions(members, 'm1', 16)).toEqual([0, 3, 6, 9, 12, 15]);
  });

  it('hands a dead member\'s partitions to the survivors', () => {
    expect(targetPartitions(['a', 'b'], 'a', 6)).toEqual([0, 2, 4]);
    expect(targetPartitions(['a'], 'a', 6)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('planLeases', () => {
  it('takes every target it does not hold', () => {
    expect(planLeases([], [], [0, 1, 2])).toEqual({ release: [], acquire: [0, 1, 2], lost: [] });
  });

  it('releases what is held outside the targets and keeps the rest', () => {
    expect(planLeases([0, 1, 2, 3], [0, 1, 2, 3], [0, 2])).toEqual({ release: [1, 3], acquire: [], lost: [] });
  });

  it('stops consuming a partition whose lease another member took', () => {
    expect(planLeases([0, 1], [0], [0, 1])).toEqual({ release: [], acquire: [1], lost: [1] });
  });

  it('releases a held lease it is not consuming when it is no target', () => {
    expect(planLeases([], [5], [1])).toEqual({ release: [5], acquire: [1], lost: [] });
  });
});
