import type { ArrayQuery } from '@asyncops/persistence';

/** The database's answer to one check: its current snapshot, and whether the owner's records changed since the given one. */
export interface ChangeCheck {
  snapshot: string;
  changed: boolean;
}

interface Waiting {
  ownerId: string;
  since: string | null;
  resolve(check: ChangeCheck): void;
  reject(error: unknown): void;
}

/** Checks in one statement at most: a statement's arrays stay small. */
const MAX_BATCH = 256;

/**
 * Asks one change log, for each kept SOQL answer about to be given, whether its owner's records
 * changed since its snapshot. Checks are sent in batches, one statement in flight at a time: a
 * check asked while a statement is under way waits for it to end and goes out with every other
 * check asked meanwhile, in the next one. A check is therefore always answered by a statement
 * sent after it was asked (a client's write committed before its read still shows), and a busy
 * gateway asks the database once per batch instead of once per request.
 */
export class ChangeChecks {
  private readonly sql: string;
  private waiting: Waiting[] = [];
  private running = false;

  constructor(
    private readonly run: ArrayQuery,
    changeLog: string,
  ) {
    // Every row of one statement carries the same current snapshot. A committed change the kept
    // snapshot did not see has a transaction id of at least the snapshot's xmin: the primary key
    // (owner_id, xid) bounds the scan to recent rows. '*' is a TRUNCATE, every owner's change. No
    // snapshot (nothing kept yet): false.
    this.sql =
      `SELECT pg_current_snapshot()::text, t.i, EXISTS (SELECT 1 FROM ${changeLog} c WHERE c."owner_id" IN (t.owner, '*') AND c."xid" >= pg_snapshot_xmin(t.since::pg_snapshot) AND NOT pg_visible_in_snapshot(c."xid", t.since::pg_snapshot)) ` +
      `FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(owner, since, i)`;
  }

  /** The current snapshot, and whether `ownerId`'s records changed after `since` (false without one). */
  check(ownerId: string, since: string | null): Promise<ChangeCheck> {
    return new Promise<ChangeCheck>((resolve, reject) => {
      this.waiting.push({ ownerId, since, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length) {
        const batch = this.waiting.length <= MAX_BATCH ? this.waiting : this.waiting.slice(0, MAX_BATCH);
        this.waiting = batch === this.waiting ? [] : this.waiting.slice(MAX_BATCH);
        try {
          const rows = await this.run(this.sql, [batch.map((w) => w.ownerId), batch.map((w) => w.since)]);
          if (rows.length !== batch.length) throw new Error(`a change check answered ${rows.length} rows for ${batch.length} checks`);
          for (const row of rows) batch[Number(row[1]) - 1].resolve({ snapshot: row[0] as string, changed: row[2] === true });
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
