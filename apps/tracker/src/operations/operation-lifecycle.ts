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
import { isTerminalStatus, OperationStatus } from '@asyncops/domain';
import type { OutboxWriter } from '@asyncops/messaging';
import { checkTransition, progressPercent, rollUp, transitionPath } from '@asyncops/state-machine';
import { TrackerConfig } from '../config';
import { OperationEventLog } from '../live-events/operation-event-log';
import { WebhookPlanner } from '../webhooks/webhook-planner';
import { AsyncOperation } from './async-operation.entity';
import { ItemFailureRecord } from './item-failure.entity';
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
    const expiresAt = input.expiresAt
      ? new Date(input.expiresAt)
      : new Date(input.submittedAt.getTime() + this.config.OPERATION_RETENTION_DAYS * DAY_MS);
    // A parent and its children may be created concurrently; serialising creations per family
    // (locks taken in a fixed order) lets each one see the other and roll up exactly.
    const family = [input.operationId, input.parentOperationId].filter((x): x is string => !!x).sort();
    for (const key of family) await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
    const inserted = await m
      .createQueryBuilder()
      .insert()
      .into(AsyncOperation)
      .values({
        id: input.operationId,
        ownerId: input.ownerId,
        jobType: input.jobType,
        producer: input.producer,
        status: 'Submitted',
        submittedAt: input.submittedAt,
        expiresAt,
        stepName: input.stepName ?? null,
        stepChangedAt: input.stepName ? input.submittedAt : null,
        correlationIdentifier: correlationIdentifierOf(input),
        parentOperationId: input.parentOperationId ?? null,
        referenceEntityId: input.referenceEntityId ?? null,
        referenceEntityType: input.referenceEntityType ?? null,
        totalJobItems: input.totalJobItems ?? null,
        requestId: input.requestId ?? null,
      })
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
    const op = await this.lock(m, update.payload.operationId);
    if (!op) {
      await m.insert(OrphanEvent, { operationId: update.payload.operationId, routingKey: update.key, payload: { ...update.payload } });
      this.log.debug({ msg: 'event parked until its operation is submitted', operationId: update.payload.operationId, routingKey: update.key });
      return;
    }
    await this.applyTo(m, outbox, op, update);
  }

  /** Marks an operation failed because a message about it could not be processed. */
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
    const patch: Patch = {};
    const now = new Date();
    if (!this.transition(op, 'Failure', now, patch, 'dead-letter')) return false;
    patch.message = reason;
    patch.errors = [...(op.errors ?? []), { message: reason, key: 'message_dead_lettered' }];
    await this.save(m, outbox, op, patch);
    return true;
  }

  private async applyTo(m: EntityManager, outbox: OutboxWriter, op: AsyncOperation, update: LifecycleUpdate): Promise<void> {
    const patch: Patch = {};
    let changed = false;
    switch (update.key) {
      case OperationEvents.Started: {
        const e = update.payload;
        const at = new Date(e.occurredAt);
        if (op.status !== 'Submitted') {
          this.reject(op, 'InProgress', 'stale started event', update.key);
          return;
        }
        changed = this.transition(op, 'InProgress', at, patch, update.key);
        patch.startedAt = at;
        this.setStep(op, e.stepName, at, patch);
        if (e.totalJobItems !== undefined) patch.totalJobItems = e.totalJobItems;
        break;
      }
      case OperationEvents.StepChanged: {
        const e = update.payload;
        const at = new Date(e.occurredAt);
        if (isTerminalStatus(op.status)) {
          this.reject(op, op.status, 'step change after the operation finished', update.key);
          return;
        }
        if (!this.setStep(op, e.stepName, at, patch)) {
          this.reject(op, op.status, 'stale step change', update.key);
          return;
        }
        if (op.status === 'Submitted') this.transition(op, 'InProgress', at, patch, update.key);
        changed = true;
        break;
      }
      case OperationEvents.ItemsProgressed: {
        const e = update.payload;
        const at = new Date(e.occurredAt);
        if (isTerminalStatus(op.status)) {
          // A report made before the finish but delivered after it still counts, unless the
          // finish stated final counts.
          if (op.countsFinal || !op.finishedAt || at > op.finishedAt) {
            this.reject(op, op.status, 'progress after the operation finished; its counts are final', update.key);
            return;
          }
        } else if (op.status === 'Submitted') this.transition(op, 'InProgress', at, patch, update.key);
        const failures = e.failures ?? [];
        patch.successfulJobItems = op.successfulJobItems + e.succeeded;
        patch.failedJobItems = op.failedJobItems + Math.max(e.failed, failures.length);
        if (e.totalJobItems !== undefined) patch.totalJobItems = e.totalJobItems;
        if (!isTerminalStatus(op.status)) this.setStep(op, e.stepName, at, patch);
        if (failures.length) {
          await m.insert(
            ItemFailureRecord,
            failures.map(
              (f) =>
                ({ operationId: op.id, itemKey: f.itemKey ?? null, row: f.row ?? null, reason: f.reason, details: f.details ?? null }) as QueryDeepPartialEntity<ItemFailureRecord>,
            ),
          );
        }
        changed = true;
        break;
      }
      case OperationEvents.Finished: {
        const e = update.payload;
        const at = new Date(e.occurredAt);
        if (!op.startedAt) patch.startedAt = e.startedAt ? new Date(e.startedAt) : at;
        if (!this.transition(op, e.status, at, patch, update.key)) return;
        patch.finishedAt = at;
        if (e.message !== undefined) patch.message = e.message;
        if (e.errors !== undefined) patch.errors = e.errors.map((x) => ({ ...x }));
        if (e.result !== undefined) patch.result = e.result;
        if (e.totalJobItems !== undefined) patch.totalJobItems = e.totalJobItems;
        if (e.successfulJobItems !== undefined) patch.successfulJobItems = e.successfulJobItems;
        if (e.failedJobItems !== undefined) patch.failedJobItems = e.failedJobItems;
        patch.countsFinal = [e.totalJobItems, e.successfulJobItems, e.failedJobItems].some((c) => c !== undefined);
        changed = true;
        break;
      }
    }
    if (changed) await this.save(m, outbox, op, patch);
  }

  /** Moves `op` to `target` along legal steps, filling StartedAt/FinishedAt on the way. */
  private transition(op: AsyncOperation, target: OperationStatus, at: Date, patch: Patch, cause: string): boolean {
    const from = (patch.status ?? op.status) as OperationStatus;
    const path = transitionPath(from, target);
    if (path === null) {
      const check = checkTransition(from, target);
      this.reject(op, target, check.allowed ? 'no legal path' : check.message, cause);
      return false;
    }
    if (!path.length) return false;
    for (const step of path) {
      if (step === 'InProgress' && !op.startedAt && !patch.startedAt) patch.startedAt = at;
      if (isTerminalStatus(step)) patch.finishedAt = at;
    }
    patch.status = target;
    return true;
  }

  private setStep(op: AsyncOperation, stepName: string | undefined, at: Date, patch: Patch): boolean {
    if (!stepName) return false;
    if (op.stepChangedAt && at < op.stepChangedAt) return false;
    patch.stepName = stepName;
    patch.stepChangedAt = at;
    return true;
  }

  private reject(op: AsyncOperation, to: string, reason: string, cause: string): void {
    this.log.warn({ msg: 'lifecycle change rejected', event: 'transition-rejected', operationId: op.id, from: op.status, to, reason, cause });
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
    const r = rollUp(groups.map((g) => ({ status: g.status, totalJobItems: g.total, successfulJobItems: g.ok, failedJobItems: g.failed })));
    if (!r) return;
    const patch: Patch = {};
    let changed = false;
    const childCount = groups.reduce((sum, g) => sum + g.n, 0);
    if (childCount !== parent.childCount) {
      patch.childCount = childCount;
      changed = true;
    }
    if (r.totalJobItems !== (parent.totalJobItems ?? 0) || r.successfulJobItems !== parent.successfulJobItems || r.failedJobItems !== parent.failedJobItems) {
      Object.assign(patch, { totalJobItems: r.totalJobItems, successfulJobItems: r.successfulJobItems, failedJobItems: r.failedJobItems });
      changed = true;
    }
    if (r.status !== parent.status && this.transition(parent, r.status, new Date(), patch, 'roll-up')) changed = true;
    if (changed) await this.save(m, outbox, parent, patch);
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
    });
  }
}
