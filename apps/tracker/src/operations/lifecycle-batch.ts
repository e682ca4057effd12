import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ExchangeRole, OperationEvents, OperationItemsProgressed, OperationSubmitted, TrackerEvents } from '@asyncops/contracts';
import type { OperationStatus } from '@asyncops/domain';
import type { BatchEvent, BatchingEventHandler, IncomingMessage, OutboxWriter } from '@asyncops/messaging';
import { applyEvent, applyRollUp, ChildGroup, LifecycleRejection } from '@asyncops/state-machine';
import { TRACKER_SCHEMA, TrackerConfig } from '../config';
import { OperationEventLog } from '../live-events/operation-event-log';
import { ProducerAuthorization } from '../producers/producer-authorization';
import { WebhookPlanner } from '../webhooks/webhook-planner';
import { AsyncOperation } from './async-operation.entity';
import { insertFailures, LifecycleUpdate, lockFamilies, lockFamiliesRecording, newOperationValues, toLifecycleEvent } from './operation-lifecycle';
import { changeViewOf } from './operation-view';
import { OrphanEvent } from './orphan-event.entity';

const S = TRACKER_SCHEMA;
const chunks = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));
const LIFECYCLE_KEYS: ReadonlySet<string> = new Set([
  OperationEvents.Submitted,
  OperationEvents.Started,
  OperationEvents.StepChanged,
  OperationEvents.ItemsProgressed,
  OperationEvents.Finished,
]);

type Item = { key: typeof OperationEvents.Submitted; payload: OperationSubmitted } | LifecycleUpdate;
type Failure = NonNullable<OperationItemsProgressed['failures']>[number] & { operationId: string };

const UPDATE_SQL = (param: string) => `UPDATE "${S}"."async_operation" o SET
    "status" = v."status", "step_name" = v."step_name", "step_changed_at" = v."step_changed_at",
    "started_at" = v."started_at", "finished_at" = v."finished_at", "total_job_items" = v."total_job_items",
    "successful_job_items" = v."successful_job_items", "failed_job_items" = v."failed_job_items",
    "counts_final" = v."counts_final", "child_count" = v."child_count", "message" = v."message",
    "errors" = v."errors", "result" = v."result", "updated_at" = v."updated_at", "version" = v."version"
   FROM jsonb_to_recordset(${param}::jsonb) AS v(
     "id" uuid, "status" text, "step_name" text, "step_changed_at" timestamptz, "started_at" timestamptz,
     "finished_at" timestamptz, "total_job_items" int, "successful_job_items" int, "failed_job_items" int,
     "counts_final" boolean, "child_count" int, "message" text, "errors" jsonb, "result" jsonb,
     "updated_at" timestamptz, "version" int)
  WHERE o."id" = v."id"`;

const rowsOf = (ops: AsyncOperation[]): string =>
  JSON.stringify(
    ops.map((o) => ({
      id: o.id,
      status: o.status,
      step_name: o.stepName,
      step_changed_at: o.stepChangedAt,
      started_at: o.startedAt,
      finished_at: o.finishedAt,
      total_job_items: o.totalJobItems,
      successful_job_items: o.successfulJobItems,
      failed_job_items: o.failedJobItems,
      counts_final: o.countsFinal,
      child_count: o.childCount,
      message: o.message,
      errors: o.errors,
      result: o.result,
      updated_at: o.updatedAt,
      version: o.version,
    })),
  );

/** An operation row as the database answers it (column names), as the entity. */
function toOperation(m: EntityManager, row: Record<string, unknown>): AsyncOperation {
  const op = new AsyncOperation();
  for (const c of m.connection.getMetadata(AsyncOperation).columns) {
    const raw = row[c.databaseName];
    (op as unknown as Record<string, unknown>)[c.propertyName] = c.transformer && !Array.isArray(c.transformer) ? c.transformer.from(raw) : raw;
  }
  return op;
}

/** A parked event as a creation replays it. */
type Parked = Pick<OrphanEvent, 'operationId' | 'routingKey' | 'payload'>;

/** Operation ids arrive in any case; the database answers in lower case. */
const norm = (id: string) => id.toLowerCase();

/**
 * Applies many lifecycle events in one transaction, with the same effect as applying them one by
 * one in arrival order (`OperationLifecycle`): one read locks every operation of the batch, the
 * pure state machine applies the events in memory, and operations, failures, parked events, the
 * event log, webhook deliveries and change notifications are written set-based. Each changed
 * operation records one change (one version) per batch, with its latest state; a creation is
 * always recorded as its own change.
 *
 * Locks: the advisory locks of every family involved (each operation and its parent), in hash
 * order, before any row lock, the same locks `OperationLifecycle.create` takes; then the rows: new
 * ones by their insert (nobody else can see them yet), the others children before parents, as the
 * one-by-one path takes them.
 */
@Injectable()
export class LifecycleBatch implements BatchingEventHandler {
  private readonly log = new Logger(LifecycleBatch.name);

  constructor(
    @Inject(TrackerConfig) private readonly config: TrackerConfig,
    private readonly producers: ProducerAuthorization,
  ) {}

  get batching(): BatchingEventHandler['batching'] {
    return { maxMessages: this.config.LIFECYCLE_BATCH_SIZE, maxWaitMs: this.config.LIFECYCLE_BATCH_WAIT_MS };
  }

  /**
   * Events of broker users limited to named producers are judged one by one (their producer is
   * checked against the operation's), as is a `submitted` while such users exist, since it judges
   * the events parked before it.
   */
  accepts(routingKey: string, _payload: unknown, message: IncomingMessage): boolean {
    if (!LIFECYCLE_KEYS.has(routingKey) || !this.producers.mayReportForAny(message.userId)) return false;
    return routingKey !== OperationEvents.Submitted || !this.producers.restrictsAnyone;
  }

  /**
   * A submit of an operation that exists changes nothing (see the `submitted` case below), and it
   * is common: the outbox copy of a submit the gateway has already recorded arrives later. One read
   * on the pool spares it the batch's transaction, locks and processed-message record. Only for a
   * batch of submits alone: one with any other event needs its transaction anyway, in which a
   * repeated submit changes nothing either, and the read would be a round trip more per batch.
   */
  async changesNothing(events: BatchEvent[], m: EntityManager): Promise<ReadonlySet<BatchEvent>> {
    const submits = events.filter((e) => e.routingKey === OperationEvents.Submitted);
    if (!submits.length || submits.length < events.length) return new Set();
    const ids = [...new Set(submits.map((e) => norm((e.payload as OperationSubmitted).operationId)))];
    const rows: Array<{ id: string }> = await m.query(`SELECT "id" FROM "${S}"."async_operation" WHERE "id" = ANY($1::uuid[])`, [ids]);
    const existing = new Set(rows.map((r) => r.id));
    return new Set(submits.filter((e) => existing.has(norm((e.payload as OperationSubmitted).operationId))));
  }

  async handleBatch(events: BatchEvent[], m: EntityManager, outbox: OutboxWriter): Promise<void> {
    await this.apply(events, m, outbox);
  }

  /**
   * `handleBatch` for a caller that wants the result: every operation the events name, as this
   * transaction leaves it (locked by it). `record-submitted` applies a job done at once this way.
   * With `processedAs`, the events' message ids are recorded as that consumer's processed messages
   * in the statement that takes the family locks, and events recorded before are skipped.
   */
  async apply(
    events: Array<Pick<BatchEvent, 'routingKey' | 'payload'> & { messageId?: string }>,
    m: EntityManager,
    outbox: OutboxWriter,
    processedAs?: string,
  ): Promise<ReadonlyMap<string, AsyncOperation>> {
    // Where a batch's time goes, phase by phase (debug log `batch-phases`).
    const phases: Record<string, number> = {};
    let t0 = performance.now();
    const mark = (phase: string) => {
      const t = performance.now();
      phases[phase] = Math.round((t - t0) * 10) / 10;
      t0 = t;
    };
    let items = events.map((e) => ({ key: e.routingKey, payload: e.payload }) as Item);
    const ids = [...new Set(items.map((i) => norm(i.payload.operationId)))];
    const submitted = new Map<string, OperationSubmitted>();
    for (const i of items) if (i.key === OperationEvents.Submitted && !submitted.has(norm(i.payload.operationId))) submitted.set(norm(i.payload.operationId), i.payload);

    const parents = [...submitted.values()].map((x) => x.parentOperationId).filter((x): x is string => !!x);
    const messageIds = events.map((e) => e.messageId).filter((x): x is string => !!x);
    if (processedAs && messageIds.length) {
      // Events skipped here only ever name operations the batch locks anyway: the lock set stays a superset.
      const fresh = await lockFamiliesRecording(m, [...ids, ...parents], ids, { consumer: processedAs, messageIds });
      items = items.filter((_, i) => !events[i].messageId || fresh.has(events[i].messageId as string));
    } else {
      await lockFamilies(m, [...ids, ...parents], ids);
    }
    mark('advisory');
    // New operations are inserted up front (a submit of an existing one inserts nothing); in memory
    // each starts to exist at its `submitted`. The inserted rows come back as they are (defaults
    // included), locked by the insert itself; then the batch's other operations are locked.
    const ops = new Map<string, AsyncOperation>();
    const created = new Set<string>();
    // What a creation takes over comes back with its row, in the insert's statement: its parked
    // events, and whether children reported before it (only then does it roll up; the family lock
    // keeps new children out meanwhile). The statement's snapshot predates its own insert, so a
    // child created by this batch is not counted here: it rolls its parent up as a change.
    const orphans = new Map<string, Parked[]>();
    const parentsFirst = new Set<string>();
    if (submitted.size) {
      const [insertSql, params] = m
        .createQueryBuilder()
        .insert()
        .into(AsyncOperation)
        .values([...submitted.values()].map((x) => newOperationValues({ ...x, submittedAt: new Date(x.occurredAt) }, this.config.OPERATION_RETENTION_DAYS)))
        .orIgnore()
        .returning('*')
        .updateEntity(false)
        .getQueryAndParameters();
      const inserted: Array<Record<string, unknown> & { __orphans: Parked[]; __children_first: boolean }> = await m.query(
        `WITH "inserted" AS (${insertSql})
         SELECT "inserted".*,
                (SELECT coalesce(json_agg(json_build_object('operationId', o."operation_id", 'routingKey', o."routing_key", 'payload', o."payload") ORDER BY o."id"), '[]'::json)
                   FROM "${S}"."orphan_event" o WHERE o."operation_id" = "inserted"."id") AS "__orphans",
                EXISTS (SELECT 1 FROM "${S}"."async_operation" c WHERE c."parent_operation_id" = "inserted"."id") AS "__children_first"
           FROM "inserted"`,
        params,
      );
      for (const row of inserted) {
        const op = toOperation(m, row);
        created.add(op.id);
        ops.set(op.id, op);
        if (row.__orphans.length) orphans.set(op.id, row.__orphans);
        if (row.__children_first) parentsFirst.add(op.id);
      }
    }
    mark('insert');
    const existing = ids.filter((id) => !created.has(id));
    if (existing.length) for (const [id, op] of await this.lockRows(m, existing)) ops.set(id, op);
    mark('lockRows');
    const live = new Set([...ops.keys()].filter((id) => !created.has(id)));

    const changes = new Changes(ops);
    const parked = new Map<string, Item[]>();
    const failures: Failure[] = [];
    const apply = (op: AsyncOperation, update: LifecycleUpdate) => {
      const { patch, rejection } = applyEvent(op, toLifecycleEvent(update));
      if (rejection) this.reject(op.id, rejection, update.key);
      if (!patch) return;
      changes.touch(op);
      Object.assign(op, patch);
      if (update.key === OperationEvents.ItemsProgressed) for (const f of update.payload.failures ?? []) failures.push({ ...f, operationId: op.id });
    };

    for (const item of items) {
      const id = norm(item.payload.operationId);
      const op = ops.get(id);
      if (item.key === OperationEvents.Submitted) {
        if (!op || live.has(id)) continue; // a repeated submit changes nothing
        live.add(id);
        changes.created(op);
        for (const o of orphans.get(id) ?? []) apply(op, { key: o.routingKey, payload: o.payload } as unknown as LifecycleUpdate);
        for (const p of parked.get(id) ?? []) apply(op, p as LifecycleUpdate);
        parked.delete(id);
        continue;
      }
      if (op && live.has(id)) apply(op, item);
      else parked.set(id, [...(parked.get(id) ?? []), item]);
    }

    mark('apply');
    const stillParked = [...parked.values()].flat();
    if (stillParked.length) {
      for (const chunk of chunks(stillParked, 5000)) {
        await m.insert(
          OrphanEvent,
          chunk.map((p) => ({ operationId: p.payload.operationId, routingKey: p.key, payload: { ...p.payload } })),
        );
      }
      this.log.debug({ msg: 'events parked until their operation is submitted', count: stillParked.length });
    }
    if (orphans.size) await m.query(`DELETE FROM "${S}"."orphan_event" WHERE "operation_id" = ANY($1::uuid[])`, [[...orphans.keys()]]);
    if (failures.length) await insertFailures(m, null, failures);

    mark('orphans+failures');
    // Parents are computed from their children's written rows.
    const rollUpFrom = new Set<string>([...created].filter((id) => parentsFirst.has(id)));
    for (const op of changes.changedOrCreated()) if (op.parentOperationId) rollUpFrom.add(op.parentOperationId);
    if (rollUpFrom.size) {
      await this.write(m, changes.takeDirty());
      await this.rollUp(m, ops, changes, rollUpFrom);
    }
    mark('rollup');
    await this.persist(m, outbox, changes.takeDirty(), changes.recorded());
    mark('persist');
    this.log.debug({ msg: 'lifecycle batch applied', event: 'batch-phases', size: events.length, ...phases });
    return ops;
  }

  /** Locks the rows, children before parents (the order the one-by-one path takes them in). */
  private async lockRows(m: EntityManager, ids: string[]): Promise<Map<string, AsyncOperation>> {
    if (!ids.length) return new Map();
    const rows: Array<Record<string, unknown>> = await m.query(
      `SELECT * FROM "${S}"."async_operation" WHERE "id" = ANY($1::uuid[]) ORDER BY "parent_operation_id" IS NULL, "id" FOR UPDATE`,
      [ids],
    );
    return new Map(
      rows.map((row) => {
        const op = toOperation(m, row);
        return [op.id, op];
      }),
    );
  }

  /**
   * Parents follow their changed (or newly created) children, level by level up the tree; a
   * created operation also rolls up children that reported before it existed.
   */
  private async rollUp(m: EntityManager, ops: Map<string, AsyncOperation>, changes: Changes, first: Set<string>): Promise<void> {
    let level = first;
    const seen = new Set<string>();
    while (level.size) {
      const ids = [...level].filter((id) => !seen.has(id)).sort();
      ids.forEach((id) => seen.add(id));
      if (!ids.length) return;
      const missing = ids.filter((id) => !ops.has(id));
      if (missing.length) for (const [id, op] of await this.lockRows(m, missing)) ops.set(id, op);
      const groups: Array<{ parent: string; status: OperationStatus; n: number; total: number | null; ok: number; failed: number }> = await m.query(
        `SELECT c."parent_operation_id" AS "parent", c."status", count(*)::int AS "n", sum(c."total_job_items")::int AS "total",
                sum(c."successful_job_items")::int AS "ok", sum(c."failed_job_items")::int AS "failed"
           FROM "${S}"."async_operation" c
           -- Only the parent owner's children count: an operation of another owner naming it changes nothing.
           JOIN "${S}"."async_operation" p ON p."id" = c."parent_operation_id" AND p."owner_id" = c."owner_id"
          WHERE c."parent_operation_id" = ANY($1::uuid[])
          GROUP BY 1, 2`,
        [ids],
      );
      const byParent = new Map<string, ChildGroup[]>();
      for (const g of groups) {
        const list = byParent.get(g.parent) ?? [];
        list.push({ status: g.status, count: g.n, totalJobItems: g.total, successfulJobItems: g.ok, failedJobItems: g.failed });
        byParent.set(g.parent, list);
      }
      const next = new Set<string>();
      const now = new Date();
      for (const id of ids) {
        const parent = ops.get(id);
        if (!parent) continue;
        const { patch, rejection } = applyRollUp(parent, byParent.get(id) ?? [], now);
        if (rejection) this.reject(parent.id, rejection, 'roll-up');
        if (!patch) continue;
        changes.touch(parent);
        Object.assign(parent, patch);
        if (parent.parentOperationId) next.add(parent.parentOperationId);
      }
      // The last level's parents are written with the batch's changes.
      if (next.size) await this.write(m, changes.takeDirty());
      level = next;
    }
  }

  /** Writes the operations' current state (the rows are locked by this transaction). */
  private async write(m: EntityManager, ops: AsyncOperation[]): Promise<void> {
    if (ops.length) await m.query(`${UPDATE_SQL('$1')} RETURNING 1`, [rowsOf(ops)]);
  }

  /**
   * The batch's last writes in one statement: operations, their changes in the event log, and the
   * webhook deliveries those changes match; then the change notifications into the outbox.
   */
  private async persist(m: EntityManager, outbox: OutboxWriter, ops: AsyncOperation[], recorded: Array<{ op: AsyncOperation; previousStatus: string | null }>): Promise<void> {
    if (!recorded.length && !ops.length) return;
    const log = OperationEventLog.many(recorded);
    const hooks = WebhookPlanner.many(recorded.map((r, i) => ({ op: r.op, change: log.recorded[i] })));
    await m.query(
      `WITH "updated" AS (${UPDATE_SQL('$1')} RETURNING 1),
            "logged" AS (${OperationEventLog.insertManySql('$2')} RETURNING 1),
            "planned" AS (${WebhookPlanner.planManySql('$3')} RETURNING 1)
       SELECT (SELECT count(*) FROM "updated") AS "updated"`,
      [rowsOf(ops), log.rows, hooks],
    );
    if (!recorded.length) return;
    await outbox.add(
      ...log.recorded.map(({ payload }, i) => ({
        exchange: ExchangeRole.Events,
        routingKey: TrackerEvents.OperationChanged,
        body: {
          operationId: payload.operationId,
          ownerId: recorded[i].op.ownerId,
          status: payload.status,
          stepName: payload.stepName,
          progress: payload.progress,
          version: payload.version,
          changedAt: payload.changedAt,
          view: changeViewOf(recorded[i].op),
        },
      })),
    );
  }

  private reject(operationId: string, r: LifecycleRejection, cause: string): void {
    this.log.warn({ msg: 'lifecycle change rejected', event: 'transition-rejected', operationId, from: r.from, to: r.to, reason: r.reason, cause });
  }
}

/**
 * Which operations changed in the batch, and the changes to record: a creation as it was created
 * (version 1), then each changed operation once, with its final state and one more version.
 */
class Changes {
  private readonly creations: Array<{ op: AsyncOperation; snapshot: AsyncOperation }> = [];
  private readonly previous = new Map<string, string>();
  private dirty = new Set<AsyncOperation>();
  private readonly now = new Date();

  constructor(private readonly ops: Map<string, AsyncOperation>) {}

  created(op: AsyncOperation): void {
    this.creations.push({ op, snapshot: { ...op } });
  }

  /** Called before a change is applied to `op`: the first one in the batch takes the next version. */
  touch(op: AsyncOperation): void {
    if (!this.previous.has(op.id)) {
      this.previous.set(op.id, op.status);
      op.version += 1;
    }
    op.updatedAt = this.now;
    this.dirty.add(op);
  }

  takeDirty(): AsyncOperation[] {
    const d = [...this.dirty];
    this.dirty = new Set();
    return d;
  }

  changedOrCreated(): AsyncOperation[] {
    return [...new Set([...this.creations.map((c) => c.op), ...[...this.previous.keys()].map((id) => this.ops.get(id) as AsyncOperation)])];
  }

  recorded(): Array<{ op: AsyncOperation; previousStatus: string | null }> {
    return [
      ...this.creations.map((c) => ({ op: c.snapshot, previousStatus: null })),
      ...[...this.previous.entries()].map(([id, previousStatus]) => ({ op: this.ops.get(id) as AsyncOperation, previousStatus })),
    ];
  }
}
