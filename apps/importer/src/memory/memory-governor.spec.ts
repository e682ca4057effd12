import { MemoryGovernor } from './memory-governor';

describe('MemoryGovernor', () => {
  it('collects when the resident size is above the target, at most once per gap', () => {
    const collected: number[] = [];
    const g = new MemoryGovernor({ targetMb: 1, minGapMs: 1000, onCollect: (before) => collected.push(before) });
    expect(g.check(10_000)).toBe(true);
    expect(g.check(10_500)).toBe(false);
    expect(g.check(11_001)).toBe(true);
    expect(collected).toHaveLength(2);
    expect(collected[0]).toBeGreaterThan(1024 * 1024);
  });

  it('leaves a process under its target alone, and does nothing when turned off', () => {
    const g = new MemoryGovernor({ targetMb: 1_000_000 });
    expect(g.check()).toBe(false);
    const off = new MemoryGovernor({ targetMb: 0 }).start();
    off.stop();
  });
});
