import { prepareJson } from '../../../core/http/prepared-json';

/** A kept answer: the value, and the snapshot (pg_current_snapshot() text) no later than its read. */
export interface KeptPage<T> {
  snapshot: string;
  value: T;
}

interface Entry<T> extends KeptPage<T> {
  at: number;
  bytes: number;
}

/**
 * The SOQL answers one gateway process keeps, least recently used first, bounded by the size of
 * their JSON (`SOQL_CACHE_MAX_BYTES`) and by age (`SOQL_CACHE_MAX_AGE_MS`). It only keeps and
 * finds: whether a kept answer may still be given is SoqlReads' question to the database. A kept
 * value is serialised once here (prepareJson) and must not change afterwards.
 */
export class SoqlPageCache<T extends object> {
  private readonly entries = new Map<string, Entry<T>>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

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

  /** Keeps the answer unless it alone exceeds the budget; evicts the least recently used to make room. */
  set(key: string, page: KeptPage<T>): void {
    if (!this.enabled) return;
    const known = this.entries.get(key);
    if (known) this.drop(key, known);
    const bytes = prepareJson(page.value).json.length * 2;
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { ...page, at: this.now(), bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
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
