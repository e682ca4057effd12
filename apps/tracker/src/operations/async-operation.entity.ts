import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { OperationStatus } from '@asyncops/domain';

const bigintAsNumber = { to: (v?: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** One record per asynchronous request of any service: the fields of AsyncOperationTracker and more. */
@Entity({ name: 'async_operation' })
@Index('async_operation_owner_number', ['ownerId', 'asyncOperationNumber'])
export class AsyncOperation {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'async_operation_number', type: 'bigint', insert: false, update: false, transformer: bigintAsNumber })
  asyncOperationNumber!: number;

  @Column({ name: 'correlation_identifier', type: 'text', nullable: true })
  correlationIdentifier!: string | null;

  @Column({ name: 'job_type', type: 'text' })
  jobType!: string;

  @Column({ name: 'step_name', type: 'text', nullable: true })
  stepName!: string | null;

  /** When the current step was reported; older step events are stale. */
  @Column({ name: 'step_changed_at', type: 'timestamptz', nullable: true })
  stepChangedAt!: Date | null;

  @Column({ type: 'text' })
  status!: OperationStatus;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'total_job_items', type: 'integer', nullable: true })
  totalJobItems!: number | null;

  @Column({ name: 'successful_job_items', type: 'integer', default: 0 })
  successfulJobItems!: number;

  @Column({ name: 'failed_job_items', type: 'integer', default: 0 })
  failedJobItems!: number;

  /** Set when a finished event carried final counts; later progress reports cannot change them. */
  @Column({ name: 'counts_final', type: 'boolean', default: false })
  countsFinal!: boolean;

  @Column({ name: 'parent_operation_id', type: 'uuid', nullable: true })
  parentOperationId!: string | null;

  @Column({ name: 'child_count', type: 'integer', default: 0 })
  childCount!: number;

  @Column({ name: 'reference_entity_id', type: 'text', nullable: true })
  referenceEntityId!: string | null;

  @Column({ name: 'reference_entity_type', type: 'text', nullable: true })
  referenceEntityType!: string | null;

  @Column({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  @Column({ type: 'text' })
  producer!: string;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ type: 'text', nullable: true })
  message!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  errors!: Array<{ message: string; details?: string; key?: string }> | null;

  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;

  @Column({ name: 'cancel_requested_at', type: 'timestamptz', nullable: true })
  cancelRequestedAt!: Date | null;

  @Column({ name: 'last_viewed_date', type: 'timestamptz', nullable: true })
  lastViewedDate!: Date | null;

  @Column({ name: 'last_referenced_date', type: 'timestamptz', nullable: true })
  lastReferencedDate!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  /** Grows by one with every applied change; lets consumers of change events drop stale ones. */
  @Column({ type: 'integer', default: 1 })
  version!: number;
}
