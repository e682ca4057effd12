import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ListOperationEventsRequest, OperationEventsPage, OperationEventView } from '@asyncops/contracts';
import { progressPercent } from '@asyncops/state-machine';
import { TRACKER_SCHEMA } from '../config';
import type { AsyncOperation } from '../operations/async-operation.entity';

const S = TRACKER_SCHEMA;
/** Any constant works; it only has to be the same for every tracker replica. */
const SEQUENCER_LOCK = 764_500_000;
export const SEQUENCE_BATCH = 5000;

export type EventPayload = Omit<OperationEventView, 'seq'>;

export interface RecordedChange {
  payload: EventPayload;
  /** The status of the operation's previous recorded change; null for its first. */
  previousStatus: string | null;
}

interface EventRow {
  seq: string;
  payload: EventPayload;
}

/**
 * The live event stream's source of truth. Changes are appended inside the transaction that makes
 * them; public sequence numbers are assigned afterwards by `sequence()`, one pass at a time across
 * all replicas, so seqs become visible in increasing order. Numbering at insert time instead would
 * let a later seq commit before an earlier one, and a reader resuming after the later one would
 * silently skip the earlier.
 */
@Injectable()
export class OperationEventLog {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends the change in the caller's transaction. */
  async record(m: EntityManager, op: AsyncOperation): Promise<RecordedChange> {
    const payload = payloadOf(op);
    // The operation row is locked by the caller, so "previous" cannot race with another change.
    const rows: Array<{ previous: string | null }> = await m.query(
      `WITH previous AS (
         SELECT "status" FROM "${S}"."operation_event" WHERE "operation_id" = $1 ORDER BY "id" DESC LIMIT 1
       ), added AS (
         INSERT INTO "${S}"."operation_event" ("owner_id", "operation_id", "job_type", "status", "payload") VALUES ($2, $1, $3, $4, $5::jsonb)
       )
       SELECT (SELECT "status" FROM previous) AS "previous"`,
      [op.id, op.ownerId, op.jobType, op.status, JSON.stringify(payload)],
    );
    return { payload, previousStatus: rows[0]?.previous ?? null };
  }

  /**
   * Many changes at once, for a caller that writes them in its own statement (`insertManySql`,
   * parameter `changesParam`); rows get ids in the order given. The caller knows each operation's
   * previous status because it holds the rows locked.
   */
  static many(changes: ReadonlyArray<{ op: AsyncOperation; previousStatus: string | null }>): { recorded: RecordedChange[]; rows: string } {
    const recorded = changes.map(({ op, previousStatus }) => ({ payload: payloadOf(op), previousStatus }));
    const rows = changes.map(({ op }, n) => ({ owner_id: op.ownerId, operation_id: op.id, job_type: op.jobType, status: op.status, payload: recorded[n].payload, n }));
    return { recorded, rows: JSON.stringify(rows) };
  }

  static insertManySql(changesParam: string): string {
    return `INSERT INTO "${S}"."operation_event" ("owner_id", "operation_id", "job_type", "status", "payload")
       SELECT v."owner_id", v."operation_id", v."job_type", v."status", v."payload"
         FROM jsonb_to_recordset(${changesParam}::jsonb) AS v("owner_id" text, "operation_id" uuid, "job_type" text, "status" text, "payload" jsonb, "n" int)
        ORDER BY v."n"`;
  }

  /** Numbers committed, unnumbered rows in one short transaction; returns how many it numbered. */
  async sequence(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [SEQUENCER_LOCK]);
      // The statement's snapshot is taken after the lock, so it sees every earlier pass committed.
      const res: [unknown[], number] = await m.query(
        `UPDATE "${S}"."operation_event" e SET "seq" = n."seq"
           FROM (SELECT "id", nextval('"${S}"."operation_event_seq"') AS "seq"
                   FROM (SELECT "id" FROM "${S}"."operation_event" WHERE "seq" IS NULL ORDER BY "id" LIMIT ${SEQUENCE_BATCH}) pending
                  ORDER BY "id") n
          WHERE e."id" = n."id"`,
      );
      return Array.isArray(res) ? res[1] : 0;
    });
  }

  /** Whether the owner has changes not numbered yet: a cheap read of the partial index, no lock taken. */
  async hasUnsequenced(m: EntityManager, ownerId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM "${S}"."operation_event" WHERE "seq" IS NULL AND "owner_id" = $1 LIMIT 1`, [ownerId]);
    return rows.length > 0;
  }

  async list(m: EntityManager, req: ListOperationEventsRequest): Promise<OperationEventsPage> {
    // The owner's own head: a log-wide one would tell every client how busy the others are.
    const head: Array<{ head: string | null }> = await m.query(`SELECT max("seq") AS "head" FROM "${S}"."operation_event" WHERE "owner_id" = $1`, [req.ownerId]);
    if (req.afterSeq === undefined) return { items: [], head: Number(head[0]?.head ?? 0) };
    const params: unknown[] = [req.ownerId, req.afterSeq, req.limit];
    let filters = '';
    if (req.operationId) {
      params.push(req.operationId);
      filters += ` AND "operation_id" = $${params.length}`;
    }
    if (req.jobType) {
      params.push(req.jobType);
      filters += ` AND "job_type" = $${params.length}`;
    }
    const rows: EventRow[] = await m.query(
      `SELECT "seq", "payload" FROM "${S}"."operation_event"
        WHERE "owner_id" = $1 AND "seq" > $2${filters} ORDER BY "seq" LIMIT $3`,
      params,
    );
    return { items: rows.map((r) => ({ seq: Number(r.seq), ...r.payload })), head: Number(head[0]?.head ?? 0) };
  }

  /** Deletes numbered rows past retention; returns how many. */
  async prune(retentionDays: number): Promise<number> {
    const res: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM "${S}"."operation_event" WHERE "id" IN (
         SELECT "id" FROM "${S}"."operation_event" WHERE "recorded_at" < now() - make_interval(days => $1) AND "seq" IS NOT NULL LIMIT 10000)`,
      [retentionDays],
    );
    return Array.isArray(res) ? res[1] : 0;
  }
}

function payloadOf(op: AsyncOperation): EventPayload {
  return {
    operationId: op.id,
    jobType: op.jobType,
    status: op.status,
    stepName: op.stepName,
    progress: progressPercent(op),
    totalJobItems: op.totalJobItems,
    successfulJobItems: op.successfulJobItems,
    failedJobItems: op.failedJobItems,
    version: op.version,
    changedAt: op.updatedAt.toISOString(),
  };
}
