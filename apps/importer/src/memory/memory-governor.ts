import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MemoryGovernorOptions {
  /** Resident set size above which a full collection is run; 0 turns the governor off. */
  targetMb: number;
  /** How often the resident size is looked at. */
  everyMs?: number;
  /**
   * At least this long between two forced collections. Above the target the governor keeps
   * collecting at this pace: memory freed late is not returned to the system by the allocator,
   * so collecting often is what keeps the resident size down, not one collection at the peak.
   */
  minGapMs?: number;
  onCollect?: (before: number, after: number) => void;
}

/**
 * Keeps the importer's memory bounded without any runtime flag from whoever starts it. V8 grows
 * its heap lazily while garbage piles up (an import allocates fast: every row is parsed, checked
 * and encoded), so a long import would climb to several hundred MB before V8 collects on its own.
 * The governor looks at the resident size and, above the target, runs a full collection, which
 * returns the freed pages and resets V8's growth heuristics to the live size.
 */
export class MemoryGovernor {
  private timer?: NodeJS.Timeout;
  private lastGc = 0;
  private readonly gc: () => void;

  constructor(private readonly options: MemoryGovernorOptions) {
    // The collector is exposed to a fresh context only, not to the app's global object.
    setFlagsFromString('--expose-gc');
    this.gc = runInNewContext('gc') as () => void;
  }

  start(): this {
    if (this.options.targetMb <= 0 || this.timer) return this;
    this.timer = setInterval(() => this.check(), this.options.everyMs ?? 250);
    this.timer.unref();
    return this;
  }

  /** One look; returns true when it collected. */
  check(now = Date.now()): boolean {
    const rss = process.memoryUsage.rss();
    if (rss <= this.options.targetMb * 1024 * 1024 || now - this.lastGc < (this.options.minGapMs ?? 1000)) return false;
    this.lastGc = now;
    this.gc();
    this.options.onCollect?.(rss, process.memoryUsage.rss());
    return true;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
