/**
 * Collects live changes and hands them over at most once per animation frame, keeping only the
 * newest change of each operation: hundreds of changes per second become one render per frame.
 */
export interface FrameBatcherOptions<T> {
  key(item: T): string;
  /** Which of two changes of the same key to keep; by default the later one. */
  pick?(current: T, next: T): T;
  flush(items: T[]): void;
  /** requestAnimationFrame in the browser; tests pass a manual scheduler. */
  schedule(run: () => void): void;
}

export interface FrameBatcher<T> {
  push(item: T): void;
  pushAll(items: Iterable<T>): void;
  /** Changes waiting for the next frame. */
  readonly size: number;
}

export function createFrameBatcher<T>(options: FrameBatcherOptions<T>): FrameBatcher<T> {
  let pending = new Map<string, T>();
  let scheduled = false;
  const pick = options.pick ?? ((_current: T, next: T) => next);

  const run = () => {
    scheduled = false;
    if (!pending.size) return;
    const items = [...pending.values()];
    pending = new Map();
    options.flush(items);
  };

  const push = (item: T) => {
    const k = options.key(item);
    const current = pending.get(k);
    pending.set(k, current === undefined ? item : pick(current, item));
    if (!scheduled) {
      scheduled = true;
      options.schedule(run);
    }
  };

  return {
    push,
    pushAll(items: Iterable<T>) {
      for (const item of items) push(item);
    },
    get size() {
      return pending.size;
    },
  };
}

/** Keeps the change with the higher version (a change that arrived late never wins). */
export function newerVersion<T extends { version: number }>(current: T, next: T): T {
  return next.version >= current.version ? next : current;
}
