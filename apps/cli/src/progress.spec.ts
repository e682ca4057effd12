import { bar, formatBytes, formatDuration, OperationSnapshot, progressLine, RateEstimator } from './progress';

const op = (o: Partial<OperationSnapshot> = {}): OperationSnapshot => ({
  id: 'op-1',
  jobType: 'PlaceOrder',
  status: 'InProgress',
  stepName: 'processCartItems',
  progress: 45,
  totalJobItems: 1000,
  successfulJobItems: 440,
  failedJobItems: 10,
  ...o,
});

describe('progress line', () => {
  it('shows bar, percent, counts with failures, step, rate and time left', () => {
    expect(progressLine(op(), 150, 3.7, 10)).toBe('[#####.....]  45% 450/1000 (10 failed) · processCartItems · 150/s · ETA 4s');
  });

  it('shows the final status instead of a time left once the operation ended, and -- for an unknown ETA', () => {
    expect(progressLine(op({ status: 'Completed', progress: 100, successfulJobItems: 1000, failedJobItems: 0, stepName: null }), undefined, undefined, 4)).toBe(
      '[####] 100% 1000/1000 · Completed',
    );
    expect(progressLine(op({ totalJobItems: null, progress: null, successfulJobItems: 3, failedJobItems: 0 }), 2.25, undefined, 4)).toBe(
      '[....]   0% 3 · processCartItems · 2.3/s · ETA --',
    );
  });

  it('draws bars within bounds', () => {
    expect(bar(0, 4)).toBe('[....]');
    expect(bar(0.5, 4)).toBe('[##..]');
    expect(bar(7, 4)).toBe('[####]');
    expect(bar(-1, 4)).toBe('[....]');
  });

  it('formats durations and sizes', () => {
    expect(formatDuration(undefined)).toBe('--');
    expect(formatDuration(Infinity)).toBe('--');
    expect(formatDuration(59.4)).toBe('59s');
    expect(formatDuration(61)).toBe('1m01s');
    expect(formatDuration(3 * 3600 + 5 * 60)).toBe('3h05m');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
  });
});

describe('RateEstimator', () => {
  it('measures items per second over its window and the time left to the total', () => {
    const r = new RateEstimator(10_000);
    r.observe(0, 0);
    expect(r.rate()).toBeUndefined();
    r.observe(100, 1000);
    r.observe(300, 2000);
    expect(r.rate()).toBe(150);
    expect(r.etaSeconds(900)).toBe(4);
    expect(r.etaSeconds(null)).toBeUndefined();
  });

  it('forgets observations older than the window, so an early burst does not skew the rate', () => {
    const r = new RateEstimator(2000);
    r.observe(0, 0);
    r.observe(1000, 100);
    r.observe(1010, 3100);
    r.observe(1020, 4100);
    expect(r.rate()).toBe(10);
  });

  it('reports no ETA while nothing moves', () => {
    const r = new RateEstimator();
    r.observe(5, 0);
    r.observe(5, 1000);
    expect(r.rate()).toBe(0);
    expect(r.etaSeconds(10)).toBeUndefined();
  });
});
