import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Tombstone of a deleted or expired operation, kept for the deleted-records feed. */
@Entity({ name: 'deleted_operation' })
@Index('deleted_operation_deleted_at', ['deletedAt'])
export class DeletedOperation {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  /** The deleted record's auto-number, which its Salesforce id encodes. */
  @Column({ name: 'async_operation_number', type: 'bigint', nullable: true, transformer: { to: (v?: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  asyncOperationNumber!: number | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', default: () => 'now()' })
  deletedAt!: Date;
}
