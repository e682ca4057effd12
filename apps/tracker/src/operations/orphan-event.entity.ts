import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A lifecycle event that overtook its operation's `submitted` event. It is parked here and
 * applied, in arrival order, the moment the operation is created.
 */
@Entity({ name: 'orphan_event' })
@Index('orphan_event_operation', ['operationId', 'id'])
export class OrphanEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'operation_id', type: 'uuid' })
  operationId!: string;

  @Column({ name: 'routing_key', type: 'text' })
  routingKey!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;
}
