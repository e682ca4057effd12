import { averageRate, elapsedMs, estimateRemainingMs, formatCounts, formatDuration, formatPercent, formatRate, percentComplete, RateWindow, statusLabel, statusTone } from './progress';

const op = (over: Partial<Parameters<typeof percentComplete>[0]> = {}) => ({
  status: 'InProgress',
  progress: null as number | null,
  totalJobItems: 1050 as number | null,
  successfulJobItems: 400,
  failedJobItems: 20,
  ...over,
});

describe('progress arithmetic', () => {
  it('uses the tracker percent when given, else processed / total, and reads 100 when completed', () => {
    expect(percentComplete(op({ progress: 37.5 }))).toBe(37.5);
    expect(percentComplete(op())).toBeCloseTo(40, 5);
    expect(percentComplete(op({ totalJobItems: null }))).toBe(0);
    expect(percentComplete(op({ status: 'Completed', progress: 99 }))).toBe(100);
    expect(percentComplete(op({ status: 'CompletedWithFailures', progress: 80 }))).toBe(100);
    expect(percentComplete(op({ status: 'Failure', progress: 40 }))).toBe(40);
    expect(percentComplete(op({ progress: 140 }))).toBe(100);
  });

  it('formats percent rounded down, so almost done never reads as done', () => {
    expect(formatPercent(99.6)).toBe('99 %');
    expect(formatPercent(100)).toBe('100 %');
    expect(formatPercent(-3)).toBe('0 %');
  });

  it('formats counts with and without a total', () => {
    expect(formatCounts(op())).toBe('420 of 1,050');
    expect(formatCounts(op({ totalJobItems: null, successfulJobItems: 12000, failedJobItems: 0 }))).toBe('12,000');
  });

  it('formats durations compactly', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(42_900)).toBe('42 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(2 * 3600_000 + 7 * 60_000)).toBe('2 h 07 min');
    expect(formatDuration(76 * 3600_000)).toBe('3 d 4 h');
    expect(formatDuration(-1)).toBe('–');
  });

  it('formats rates', () => {
    expect(formatRate(null)).toBe('–');
    expect(formatRate(0)).toBe('–');
    expect(formatRate(2.345)).toBe('2.3/s');
    expect(formatRate(1234.4)).toBe('1,234/s');
  });

  it('estimates the time left from the remaining items and the rate', () => {
    expect(estimateRemainingMs(op(), 63)).toBeCloseTo(10_000, 5);
    expect(estimateRemainingMs(op(), null)).toBeNull();
    expect(estimateRemainingMs(op({ totalJobItems: null }), 10)).toBeNull();
    expect(estimateRemainingMs(op({ status: 'Completed' }), 10)).toBeNull();
    expect(estimateRemainingMs(op({ successfulJobItems: 2000 }), 10)).toBe(0);
  });

  it('measures the rate over a sliding window and ignores stale counts', () => {
    const w = new RateWindow(10_000);
    expect(w.perSecond()).toBeNull();
    w.add({ at: 0, done: 0 });
    w.add({ at: 1000, done: 100 });
    expect(w.perSecond()).toBe(100);
    w.add({ at: 1500, done: 50 }); // late change: counts never regress
    expect(w.perSecond()).toBe(100);
    // Speed drops: after 20 s at 10/s only the recent window counts.
    for (let t = 2000; t <= 22_000; t += 1000) w.add({ at: t, done: 100 + ((t - 1000) / 1000) * 10 });
    expect(w.perSecond()).toBeCloseTo(10, 5);
  });

  it('falls back to the average rate since start', () => {
    expect(averageRate(op(), '2026-01-01T00:00:00.000Z', Date.parse('2026-01-01T00:00:10.000Z'))).toBe(42);
    expect(averageRate(op(), null, Date.now())).toBeNull();
  });

  it('measures elapsed time to the finish, or to now while running', () => {
    const base = { submittedAt: '2026-01-01T00:00:00.000Z', startedAt: '2026-01-01T00:00:02.000Z', finishedAt: null };
    expect(elapsedMs(base, Date.parse('2026-01-01T00:00:12.000Z'))).toBe(10_000);
    expect(elapsedMs({ ...base, finishedAt: '2026-01-01T00:00:05.000Z' }, Date.now())).toBe(3000);
  });

  it('styles known statuses and shows unknown ones neutrally', () => {
    expect(statusTone('InProgress')).toBe('running');
    expect(statusTone('Failure')).toBe('danger');
    expect(statusTone('Cancelled')).toBe('neutral');
    expect(statusLabel('CompletedWithFailures')).toBe('Completed with failures');
    expect(statusLabel('InProgress')).toBe('In progress');
    expect(statusLabel('Cancelled')).toBe('Cancelled');
  });
});
