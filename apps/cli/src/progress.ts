/** What the progress line shows about an operation (the native API's operation fields). */
export interface OperationSnapshot {
  id: string;
  jobType: string;
  status: string;
  stepName: string | null;
  progress: number | null;
  totalJobItems: number | null;
  successfulJobItems: number;
  failedJobItems: number;
  submittedAt?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  message?: string | null;
}

export const TERMINAL_STATUSES = ['Completed', 'CompletedWithFailures', 'Failure', 'Cancelled'];
export const isTerminal = (status: string) => TERMINAL_STATUSES.includes(status);

/**
 * Items per second over a sliding window of observations, and the time left at that rate.
 * Only the last `windowMs` count, so a burst long ago does not make the ETA optimistic.
 */
export class RateEstimator {
  private readonly points: Array<{ at: number; done: number }> = [];
  constructor(private readonly windowMs = 10_000) {}

  observe(done: number, at = Date.now()): void {
    this.points.push({ at, done });
    while (this.points.length > 2 && at - this.points[0].at > this.windowMs) this.points.shift();
  }

  /** Items per second; undefined until two observations at least 200 ms apart exist. */
  rate(): number | undefined {
    if (this.points.length < 2) return undefined;
    const first = this.points[0];
    const last = this.points[this.points.length - 1];
    const seconds = (last.at - first.at) / 1000;
    if (seconds < 0.2) return undefined;
    return Math.max(0, (last.done - first.done) / seconds);
  }

  /** Seconds until `total` at the current rate; undefined when unknown or not moving. */
  etaSeconds(total: number | null | undefined): number | undefined {
    const rate = this.rate();
    const last = this.points[this.points.length - 1];
    if (!rate || !total || !last) return undefined;
    return Math.max(0, (total - last.done) / rate);
  }
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** `[##########··········]`: `width` cells, filled in proportion to `fraction` (0..1). */
export function bar(fraction: number, width = 24): string {
  const f = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** One line: bar, percent, counts, step, rate and time left (or elapsed once finished). */
export function progressLine(op: OperationSnapshot, rate: number | undefined, eta: number | undefined, width = 24): string {
  const done = op.successfulJobItems + op.failedJobItems;
  const fraction = op.totalJobItems ? done / op.totalJobItems : (op.progress ?? 0) / 100;
  const percent = op.progress ?? Math.floor(fraction * 100);
  const counts = op.totalJobItems ? `${done}/${op.totalJobItems}` : `${done}`;
  const failed = op.failedJobItems ? ` (${op.failedJobItems} failed)` : '';
  const step = op.stepName ? ` · ${op.stepName}` : '';
  const speed = rate === undefined ? '' : ` · ${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s`;
  const tail = isTerminal(op.status) ? ` · ${op.status}` : ` · ETA ${formatDuration(eta)}`;
  return `${bar(fraction, width)} ${String(percent).padStart(3)}% ${counts}${failed}${step}${speed}${tail}`;
}
