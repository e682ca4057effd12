/**
 * Work started ahead of the message that needs it, kept by key for a short while. Bounded in
 * entries and age, so an entry nobody takes (the message went to another replica, the action
 * failed) only costs its memory until it is pushed out. A failed read-ahead is never an answer:
 * `take` then returns undefined and the caller does the work itself, with its own error handling.
 */
export class ReadAhead<T> {
  private readonly entries = new Map<string, { at: number; result: Promise<T | undefined> }>();

  constructor(
    private readonly maxEntries = 2,
    private readonly maxAgeMs = 60_000,
  ) {}

  start(key: string, work: () => Promise<T>): void {
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { at: Date.now(), result: work().catch(() => undefined) });
  }

  async take(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (Date.now() - entry.at > this.maxAgeMs) return undefined;
    return entry.result;
  }
}
