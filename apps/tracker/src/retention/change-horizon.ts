/**
 * Which `owner_change` rows no cached SOQL page can need any more. A gateway keeps a page read at
 * snapshot S for at most its SOQL_CACHE_MAX_AGE_MS and asks whether a committed change has a
 * transaction id S did not see; every such id is at least S's xmin. The oldest running
 * transaction id (a snapshot's xmin) never decreases, so an xmin this process observed
 * `retentionMs` ago is at most the xmin of any page younger than that: rows below it belong to
 * transactions every such page already saw (or that aborted) and can go.
 */
export class ChangeHorizon {
  private readonly observed: Array<{ at: number; xmin: string }> = [];

  constructor(
    private readonly retentionMs: number,
    // Monotonic: a wall clock stepped forward would prune rows kept answers still need.
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records the xmin seen now; returns the newest xmin seen at least `retentionMs` ago, if any. */
  observe(xmin: string): string | undefined {
    const now = this.now();
    this.observed.push({ at: now, xmin });
    const cutoff = now - this.retentionMs;
    let usable = -1;
    for (let i = 0; i < this.observed.length && this.observed[i].at <= cutoff; i++) usable = i;
    if (usable < 0) return undefined;
    // Older observations are below the usable one: only the newest usable one is kept.
    this.observed.splice(0, usable);
    return this.observed[0].xmin;
  }
}
