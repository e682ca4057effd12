import { prepareJson } from '../../../core/http/prepared-json';

/** A kept answer: the value, and the snapshot (pg_current_snapshot() text) no later than its read. */
export interface KeptPage<T> {
  snapshot: string;
  value: T;
}

interface Entry<T> extends KeptPage<T> {
  /** When its check was asked (monotonic ms): its age counts from before its snapshot was taken. */
  at: number;
  bytes: number;
}

/** Memory an entry holds besides its JSON text: the Map entry, the page object's own overhead. */
const ENTRY_OVERHEAD_BYTES = 512;
/** Answers kept at most, whatever their size: an empty page costs little memory but a key each. */
const MAX_ENTRIES = 10_000;

/**
 * The SOQL answers one gateway process keeps, least recently used first, bounded by the memory
 * they hold (`SOQL_CACHE_MAX_BYTES`, counted as their key, their JSON text four times over — the
 * text, the page's objects, the bytes written — and a fixed overhead), by number (10,000) and by
 * age (`SOQL_CACHE_MAX_AGE_MS`, from when the check that took its snapshot was asked, on a
 * monotonic clock). It only keeps and finds: whether a kept answer may still be given is SoqlReads'
 * question to the database. A kept value is serialised once here (prepareJson) and must not
 * change afterwards.
 */
export class SoqlPageCache<T extends object> {
  private readonly entries = new Map<string, Entry<T>>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The clock entries are aged by; `set` takes the time its answer's check was asked on it. */
  clock(): number {
    return this.now();
  }

  get enabled(): boolean {
    return this.maxBytes > 0 && this.maxAgeMs > 0;
  }

  /** The kept answer for `key` while it is younger than the maximum age (an older one is dropped). */
  get(key: string): KeptPage<T> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at >= this.maxAgeMs) {
      this.drop(key, entry);
      return undefined;
    }
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * Keeps the answer (its check asked at `askedAt` on `clock()`), unless it alone exceeds the
   * budget; evicts the least recently used to make room.
   */
  set(key: string, page: KeptPage<T>, askedAt: number): void {
    if (!this.enabled) return;
    const known = this.entries.get(key);
    if (known) this.drop(key, known);
    if (this.now() - askedAt >= this.maxAgeMs) return;
    const bytes = key.length * 2 + prepareJson(page.value).json.length * 4 + ENTRY_OVERHEAD_BYTES;
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { ...page, at: askedAt, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes && this.entries.size <= MAX_ENTRIES) break;
      this.drop(k, e);
    }
  }

  delete(key: string): void {
    const known = this.entries.get(key);
    if (known) this.drop(key, known);
  }

  get size(): number {
    return this.entries.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  private drop(key: string, entry: Entry<T>): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
