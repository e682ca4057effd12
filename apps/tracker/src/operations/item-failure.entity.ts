import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Per-item failures reported by producers (a CSV row, a voucher code, a cart item). */
@Entity({ name: 'item_failure' })
@Index('item_failure_operation', ['operationId', 'id'])
export class ItemFailureRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'operation_id', type: 'uuid' })
  operationId!: string;

  @Column({ name: 'item_key', type: 'text', nullable: true })
  itemKey!: string | null;

  @Column({ type: 'integer', nullable: true })
  row!: number | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'jsonb', nullable: true })
  details!: Record<string, unknown> | null;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}
