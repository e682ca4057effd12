import { averageRate, elapsedMs, estimateRemainingMs, formatCounts, formatDuration, formatPercent, formatRate, isRunning, percentComplete, statusTone } from '../progress';
import type { Operation } from '../types';

/**
 * Percent, counts, current step, elapsed time, rate and time left of one operation. The bar is a
 * progressbar for assistive technology; the figures are plain text beside it.
 */
export function ProgressBar({ op, liveRate, now, compact = false }: { op: Operation; liveRate: number | null; now: number; compact?: boolean }) {
  const percent = percentComplete(op);
  const running = isRunning(op.status);
  const rate = running ? (liveRate ?? averageRate(op, op.startedAt, now)) : null;
  const left = estimateRemainingMs(op, rate);
  const label = formatPercent(percent);
  return (
    <div class={`progress${compact ? ' progress-compact' : ''}`}>
      <div
        class={`progress-track tone-${statusTone(op.status)}`}
        role="progressbar"
        aria-label={`Progress of operation ${op.asyncOperationNumber}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.floor(percent)}
        aria-valuetext={`${label}, ${formatCounts(op)} items`}
      >
        <div class="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div class="progress-figures">
        <strong class="progress-percent" data-testid="percent">
          {label}
        </strong>
        <span data-testid="counts">{formatCounts(op)}</span>
        {op.failedJobItems > 0 && <span class="failed-count">{op.failedJobItems.toLocaleString('en-US')} failed</span>}
        {!compact && op.stepName && <span class="step">{op.stepName}</span>}
        <span data-testid="elapsed">{formatDuration(elapsedMs(op, now))} elapsed</span>
        {running && rate !== null && rate > 0 && <span data-testid="rate">{formatRate(rate)}</span>}
        {left !== null && <span data-testid="eta">about {formatDuration(left)} left</span>}
      </div>
    </div>
  );
}
