/**
 * Pure progress arithmetic and formatting for the console: percent, counts, elapsed time, rate and
 * time left. No DOM here, so the unit tests run under Node.
 */

/** The fields of an operation (or of a live change) that progress is computed from. */
export interface ProgressFields {
  status: string;
  progress?: number | null;
  totalJobItems: number | null;
  successfulJobItems: number;
  failedJobItems: number;
}

const RUNNING = new Set(['Submitted', 'InProgress']);
const TONES: Record<string, StatusTone> = {
  Submitted: 'pending',
  InProgress: 'running',
  Completed: 'success',
  CompletedWithFailures: 'warning',
  Failure: 'danger',
};

export type StatusTone = 'pending' | 'running' | 'success' | 'warning' | 'danger' | 'neutral';

/** Statuses are strings: a status this console does not know is shown neutrally, never hidden. */
export function statusTone(status: string): StatusTone {
  return TONES[status] ?? 'neutral';
}

export function isRunning(status: string): boolean {
  return RUNNING.has(status);
}

/** "CompletedWithFailures" → "Completed with failures"; unknown statuses are split the same way. */
export function statusLabel(status: string): string {
  if (status === 'InProgress') return 'In progress';
  const words = status.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(' ');
  return words.map((w, i) => (i === 0 ? w : w.toLowerCase())).join(' ');
}

export function processedItems(p: ProgressFields): number {
  return p.successfulJobItems + p.failedJobItems;
}

/** Percent complete in [0, 100]: the tracker's figure when given, else processed / total. */
export function percentComplete(p: ProgressFields): number {
  let value: number;
  if (typeof p.progress === 'number' && Number.isFinite(p.progress)) value = p.progress;
  else if (p.totalJobItems && p.totalJobItems > 0) value = (processedItems(p) / p.totalJobItems) * 100;
  else value = 0;
  if (p.status === 'Completed' || p.status === 'CompletedWithFailures') value = 100;
  return Math.min(100, Math.max(0, value));
}

/** Whole percent, rounded down so 99.6 % never reads as done. */
export function formatPercent(percent: number): string {
  return `${Math.floor(Math.min(100, Math.max(0, percent)))} %`;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return integer.format(n);
}

/** "1,024 of 1,050" (or "1,024" when the total is not known yet). */
export function formatCounts(p: ProgressFields): string {
  const done = formatCount(processedItems(p));
  return p.totalJobItems !== null && p.totalJobItems !== undefined ? `${done} of ${formatCount(p.totalJobItems)}` : done;
}

/** Compact durations: "0 s", "42 s", "3 min 05 s", "2 h 07 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Items per second: one decimal below 10/s, whole numbers above. */
export function formatRate(perSecond: number | null): string {
  if (perSecond === null || !Number.isFinite(perSecond) || perSecond <= 0) return '–';
  if (perSecond < 10) return `${perSecond.toFixed(1)}/s`;
  return `${formatCount(Math.round(perSecond))}/s`;
}

/** Milliseconds left at `perSecond`, or null when it cannot be told (no total, no rate). */
export function estimateRemainingMs(p: ProgressFields, perSecond: number | null): number | null {
  if (!isRunning(p.status) || !p.totalJobItems || perSecond === null || !(perSecond > 0)) return null;
  const left = Math.max(0, p.totalJobItems - processedItems(p));
  return (left / perSecond) * 1000;
}

export interface Sample {
  /** Milliseconds since the epoch. */
  at: number;
  /** Items processed (succeeded + failed) at that instant. */
  done: number;
}

/**
 * The recent processing rate of one operation, from the counts its changes carried. A sliding
 * window (default 10 s) follows speed changes without jumping on every batch.
 */
export class RateWindow {
  private samples: Sample[] = [];

  constructor(private readonly windowMs = 10_000) {}

  add(sample: Sample): void {
    const last = this.samples[this.samples.length - 1];
    if (last && sample.done < last.done) return; // counts never regress; ignore a stale change
    if (last && sample.at <= last.at) {
      last.done = Math.max(last.done, sample.done);
      return;
    }
    this.samples.push(sample);
    const horizon = sample.at - this.windowMs;
    // Keep one sample at or before the horizon so the window always spans windowMs when it can.
    while (this.samples.length > 2 && this.samples[1].at <= horizon) this.samples.shift();
  }

  /** Items per second over the window, or null with fewer than two samples. */
  perSecond(): number | null {
    if (this.samples.length < 2) return null;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const dt = last.at - first.at;
    return dt > 0 ? ((last.done - first.done) * 1000) / dt : null;
  }
}

/** The average rate since the operation started: the fallback before live changes arrive. */
export function averageRate(p: ProgressFields, startedAt: string | null, now: number): number | null {
  if (!startedAt) return null;
  const elapsed = now - Date.parse(startedAt);
  const done = processedItems(p);
  return elapsed > 0 && done > 0 ? (done * 1000) / elapsed : null;
}

/** Elapsed time: start (or submission) to finish, or to now while it runs. */
export function elapsedMs(op: { submittedAt: string; startedAt: string | null; finishedAt: string | null }, now: number): number {
  const from = Date.parse(op.startedAt ?? op.submittedAt);
  const to = op.finishedAt ? Date.parse(op.finishedAt) : now;
  return Math.max(0, to - from);
}
