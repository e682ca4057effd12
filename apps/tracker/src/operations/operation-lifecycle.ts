import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  correlationIdentifierOf,
  OperationEvents,
  OperationFinished,
  OperationItemsProgressed,
  OperationStarted,
  OperationStepChanged,
  TrackerEvents,
} from '@asyncops/contracts';
import type { OperationStatus } from '@asyncops/domain';
import type { OutboxWriter } from '@asyncops/messaging';
import { applyEvent, applyRollUp, LifecycleEvent, LifecycleRejection, progressPercent } from '@asyncops/state-machine';
import { TrackerConfig } from '../config';
import { OperationEventLog } from '../live-events/operation-event-log';
import { WebhookPlanner } from '../webhooks/webhook-planner';
import { AsyncOperation } from './async-operation.entity';
import { ItemFailureRecord } from './item-failure.entity';
import { changeViewOf } from './operation-view';
import { OrphanEvent } from './orphan-event.entity';

const DAY_MS = 86_400_000;

export interface NewOperation {
  operationId: string;
  ownerId: string;
  jobType: string;
  producer: string;
  submittedAt: Date;
  stepName?: string;
  correlationIdentifier?: string;
  parentOperationId?: string;
  referenceEntityId?: string;
  referenceEntityType?: string;
  totalJobItems?: number;
  expiresAt?: string;
  requestId?: string;
}

export type LifecycleUpdate =
  | { key: typeof OperationEvents.Started; payload: OperationStarted }
  | { key: typeof OperationEvents.StepChanged; payload: OperationStepChanged }
  | { key: typeof OperationEvents.ItemsProgressed; payload: OperationItemsProgressed }
  | { key: typeof OperationEvents.Finished; payload: OperationFinished };

type Patch = Partial<AsyncOperation>;

/**
 * Applies lifecycle changes to operation records through the state machine. Every method runs
 * inside the caller's transaction with the operation row locked, so concurrent events for one
 * operation (on any number of replicas) apply one after another. Illegal or stale changes are
 * logged and skipped, never applied.
 */
@Injectable()
export class OperationLifecycle {
  private readonly log = new Logger(OperationLifecycle.name);

  constructor(
    @Inject(TrackerConfig) private readonly config: TrackerConfig,
    private readonly eventLog: OperationEventLog,
    private readonly webhooks: WebhookPlanner,
  ) {}

  /** Creates the record once; a repeated create of the same id returns the existing record. */
  async create(m: EntityManager, outbox: OutboxWriter, input: NewOperation): Promise<{ operation: AsyncOperation; created: boolean }> {
    // A parent and its children may be created concurrently; serialising creations per family
    // (locks taken in a fixed order) lets each one see the other and roll up exactly.
    await lockFamilies(m, [input.operationId, input.parentOperationId].filter((x): x is string => !!x));
    const inserted = await m
      .createQueryBuilder()
      .insert()
      .into(AsyncOperation)
      .values(newOperationValues(input, this.config.OPERATION_RETENTION_DAYS))
      .orIgnore()
      .returning(['id'])
      .execute();
    const operation = (await this.lock(m, input.operationId)) as AsyncOperation;
    if (!(inserted.raw as unknown[]).length) return { operation, created: false };

    await this.emitChanged(m, outbox, operation);
    // Children may have reported before their parent did.
    await this.rollUpInto(m, outbox, operation);
    if (operation.parentOperationId) await this.rollUpParent(m, outbox, operation.parentOperationId);
    await this.replayOrphans(m, outbox, operation);
    return { operation, created: true };
  }

  /** Applies a non-creating lifecycle event; parks it when its operation does not exist yet. */
  async apply(m: EntityManager, outbox: OutboxWriter, update: LifecycleUpdate): Promise<void> {
    // The family's locks come first, as in create and in batches: a parent created meanwhile then
    // sees this change, or this change sees the parent.
    await lockFamilies(m, [update.payload.operationId], [update.payload.operationId]);
    const op = await this.lock(m, update.payload.operationId);
    if (!op) {
      await m.insert(OrphanEvent, { operationId: update.payload.operationId, routingKey: update.key, payload: { ...update.payload } });
      this.log.debug({ msg: 'event parked until its operation is submitted', operationId: update.payload.operationId, routingKey: update.key });
      return;
    }
    await this.applyTo(m, outbox, op, update);
  }

  /**
   * Ends an operation in Failure because a message of its work was dead-lettered. `source` names who
   * sent that message: only the operation's own producer (and owner, when the message names one)
   * can fail it this way; anything else is logged and ignored.
   */
  async failFromDeadLetter(m: EntityManager, outbox: OutboxWriter, operationId: string, reason: string, source?: { producer: string; ownerId?: string }): Promise<boolean> {
    const op = await this.lock(m, operationId);
    if (!op) return false;
    if (source && (source.producer !== op.producer || (source.ownerId !== undefined && source.ownerId !== op.ownerId))) {
      this.log.warn({ msg: 'dead letter ignored: not from the operation\'s producer and owner', event: 'dead-letter-ignored', operationId, producer: source.producer, ownerId: source.ownerId });
      return false;
    }
    const { patch, rejection } = applyEvent(op, { kind: 'dead-lettered', occurredAt: new Date(), reason });
    if (rejection) this.reject(op.id, rejection, 'dead-letter');
    if (!patch) return false;
    await this.save(m, outbox, op, patch);
    return true;
  }

  private async applyTo(m: EntityManager, outbox: OutboxWriter, op: AsyncOperation, update: LifecycleUpdate): Promise<void> {
    const { patch, rejection } = applyEvent(op, toLifecycleEvent(update));
    if (rejection) this.reject(op.id, rejection, update.key);
    if (!patch) return;
    if (update.key === OperationEvents.ItemsProgressed && update.payload.failures?.length) await insertFailures(m, op.id, update.payload.failures);
    await this.save(m, outbox, op, patch);
  }

  private reject(operationId: string, r: LifecycleRejection, cause: string): void {
    this.log.warn({ msg: 'lifecycle change rejected', event: 'transition-rejected', operationId, from: r.from, to: r.to, reason: r.reason, cause });
  }

  private async save(m: EntityManager, outbox: OutboxWriter, op: AsyncOperation, patch: Patch): Promise<void> {
    const now = new Date();
    await m.update(AsyncOperation, op.id, { ...patch, updatedAt: now, version: op.version + 1 } as QueryDeepPartialEntity<AsyncOperation>);
    Object.assign(op, patch, { updatedAt: now, version: op.version + 1 });
    await this.emitChanged(m, outbox, op);
    if (op.parentOperationId) await this.rollUpParent(m, outbox, op.parentOperationId);
  }

  private async rollUpParent(m: EntityManager, outbox: OutboxWriter, parentId: string): Promise<void> {
    const parent = await this.lock(m, parentId);
    if (parent) await this.rollUpInto(m, outbox, parent);
  }

  /** A parent's status and counts are derived from its children's, through the state machine. */
  private async rollUpInto(m: EntityManager, outbox: OutboxWriter, parent: AsyncOperation): Promise<void> {
    // One row per status with summed counts gives rollUp the same answer as every child would.
    const groups: Array<{ status: OperationStatus; n: number; total: number | null; ok: number; failed: number }> = await m.query(
      `SELECT "status", count(*)::int AS "n", sum("total_job_items")::int AS "total", sum("successful_job_items")::int AS "ok", sum("failed_job_items")::int AS "failed"
         FROM "tracker"."async_operation" WHERE "parent_operation_id" = $1 AND "owner_id" = $2 GROUP BY "status"`,
      // Only the parent owner's children count: an operation of another owner naming it changes nothing.
      [parent.id, parent.ownerId],
    );
    const { patch, rejection } = applyRollUp(
      parent,
      groups.map((g) => ({ status: g.status, count: g.n, totalJobItems: g.total, successfulJobItems: g.ok, failedJobItems: g.failed })),
      new Date(),
    );
    if (rejection) this.reject(parent.id, rejection, 'roll-up');
    if (patch) await this.save(m, outbox, parent, patch);
  }

  private async replayOrphans(m: EntityManager, outbox: OutboxWriter, op: AsyncOperation): Promise<void> {
    const orphans = await m.find(OrphanEvent, { where: { operationId: op.id }, order: { id: 'ASC' } });
    for (const o of orphans) {
      await this.applyTo(m, outbox, op, { key: o.routingKey, payload: o.payload } as unknown as LifecycleUpdate);
    }
    if (orphans.length) await m.delete(OrphanEvent, { operationId: op.id });
  }

  async lock(m: EntityManager, id: string): Promise<AsyncOperation | null> {
    return m.getRepository(AsyncOperation).createQueryBuilder('o').setLock('pessimistic_write').where('o.id = :id', { id }).getOne();
  }

  /** Every change is also logged for the live stream and queued for webhooks, in the same transaction. */
  async emitChanged(m: EntityManager, outbox: OutboxWriter, op: AsyncOperation): Promise<void> {
    await this.webhooks.plan(m, op, await this.eventLog.record(m, op));
    await outbox.addEvent(TrackerEvents.OperationChanged, {
      operationId: op.id,
      ownerId: op.ownerId,
      status: op.status,
      stepName: op.stepName,
      progress: progressPercent(op),
      version: op.version,
      changedAt: op.updatedAt.toISOString(),
      view: changeViewOf(op),
    });
  }
}

/** The state machine's view of a lifecycle message. */
export function toLifecycleEvent(update: LifecycleUpdate): LifecycleEvent {
  switch (update.key) {
    case OperationEvents.Started:
      return { kind: 'started', ...update.payload };
    case OperationEvents.StepChanged:
      return { kind: 'step-changed', ...update.payload };
    case OperationEvents.ItemsProgressed:
      return { kind: 'items-progressed', ...update.payload };
    case OperationEvents.Finished:
      return { kind: 'finished', ...update.payload, status: update.payload.status as OperationStatus };
  }
}

type Failure = NonNullable<OperationItemsProgressed['failures']>[number];

/** Stores reported per-item failures of one or more operations, a few thousand rows per statement. */
export async function insertFailures(m: EntityManager, operationId: string | null, failures: ReadonlyArray<Failure & { operationId?: string }>): Promise<void> {
  // PostgreSQL takes at most 65,535 parameters per statement.
  for (let i = 0; i < failures.length; i += 5000) {
    await m.insert(
      ItemFailureRecord,
      failures.slice(i, i + 5000).map(
        (f) =>
          ({ operationId: operationId ?? f.operationId, itemKey: f.itemKey ?? null, row: f.row ?? null, reason: f.reason, details: f.details ?? null }) as QueryDeepPartialEntity<ItemFailureRecord>,
      ),
    );
  }
}

/**
 * Takes the transaction-scoped advisory locks of the given operation ids and of the parents of
 * `withParentsOf` (an operation and its parent form a family) in hash order, so transactions
 * locking overlapping families never wait on each other in a cycle. A parent never changes, so it
 * is read without a row lock.
 */
export async function lockFamilies(m: EntityManager, ids: string[], withParentsOf: string[] = []): Promise<void> {
  if (!ids.length && !withParentsOf.length) return;
  await m.query(`SELECT pg_advisory_xact_lock(h) FROM ${FAMILY_KEYS_SQL('$1', '$2')}`, [[...new Set(ids.map((id) => id.toLowerCase()))], withParentsOf]);
}

/** The advisory-lock keys of the families of `$ids` and of the parents of `$withParentsOf`, in hash order. */
const FAMILY_KEYS_SQL = (ids: string, withParentsOf: string) => `(
       SELECT DISTINCT hashtext(k) AS h FROM (
         SELECT unnest(${ids}::text[]) AS k
         UNION ALL
         SELECT "parent_operation_id"::text FROM "tracker"."async_operation" WHERE "id" = ANY(${withParentsOf}::uuid[]) AND "parent_operation_id" IS NOT NULL
       ) AS keys ORDER BY 1) AS f`;

/**
 * `lockFamilies` after recording message ids as processed by `consumer`, in one statement: answers
 * the ids not recorded before. The ids go in first (the gating filter runs the insert before any
 * lock is taken), the order the lifecycle consumer takes them in (its processed ids, then the
 * families), so the two never wait on each other crosswise.
 */
export async function lockFamiliesRecording(
  m: EntityManager,
  ids: string[],
  withParentsOf: string[],
  processed: { consumer: string; messageIds: string[] },
): Promise<Set<string>> {
  const [row]: Array<{ fresh: string[] }> = await m.query(
    `WITH "fresh" AS (
       INSERT INTO "tracker"."processed_message" ("consumer", "message_id") SELECT $3, unnest($4::text[])
       ON CONFLICT DO NOTHING RETURNING "message_id"),
     "locked" AS (
       SELECT pg_advisory_xact_lock(h) FROM ${FAMILY_KEYS_SQL('$1', '$2')}
        WHERE (SELECT count(*) FROM "fresh") >= 0)
     SELECT (SELECT coalesce(array_agg("message_id"), '{}') FROM "fresh") AS "fresh", (SELECT count(*) FROM "locked") AS "locks"`,
    [[...new Set(ids.map((id) => id.toLowerCase()))], withParentsOf, processed.consumer, processed.messageIds],
  );
  return new Set(row.fresh);
}

/** The row of a new operation, as `submitted` (or a create request) describes it. */
export function newOperationValues(input: NewOperation, retentionDays: number): QueryDeepPartialEntity<AsyncOperation> {
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : new Date(input.submittedAt.getTime() + retentionDays * DAY_MS);
  return {
    id: input.operationId,
    ownerId: input.ownerId,
    jobType: input.jobType,
    producer: input.producer,
    status: 'Submitted',
    submittedAt: input.submittedAt,
    expiresAt,
    stepName: input.stepName ?? null,
    stepChangedAt: input.stepName ? input.submittedAt : null,
    // The request that started the work identifies it across services when the client named nothing.
    correlationIdentifier: correlationIdentifierOf(input),
    parentOperationId: input.parentOperationId ?? null,
    referenceEntityId: input.referenceEntityId ?? null,
    referenceEntityType: input.referenceEntityType ?? null,
    totalJobItems: input.totalJobItems ?? null,
    requestId: input.requestId ?? null,
  };
}
