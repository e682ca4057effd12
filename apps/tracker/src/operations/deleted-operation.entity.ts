import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Tombstone of a deleted or expired operation, kept for the deleted-records feed. */
@Entity({ name: 'deleted_operation' })
@Index('deleted_operation_deleted_at', ['deletedAt'])
export class DeletedOperation {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  @Column({ name: 'deleted_at', type: 'timestamptz', default: () => 'now()' })
  deletedAt!: Date;
}
