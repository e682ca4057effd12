/**
 * Runs appends with at most `limit` in flight. Chunks carry their sequence number, so they may
 * be stored in any order; overlapping them hides the broker and database round trip of each.
 * `add` waits while the window is full (the upload's backpressure); `drain` waits for all and
 * rethrows the first failure after every append has settled, so nothing is left running.
 */
export class BoundedAppends {
  private readonly running = new Set<Promise<void>>();
  private failure?: { error: unknown };

  constructor(private readonly limit: number) {}

  async add(append: () => Promise<unknown>): Promise<void> {
    this.throwIfFailed();
    const p: Promise<void> = append().then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
    while (this.running.size >= this.limit) await Promise.race(this.running);
    this.throwIfFailed();
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
